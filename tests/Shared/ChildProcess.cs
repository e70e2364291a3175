using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ApartmentManager.Tests.Shared;

/// <summary>
/// A child process of the test (Azurite, the Cosmos-protocol server, the Durable worker) whose output is kept for
/// diagnostics and watched for the lines that say it is ready (a server's line names the port the operating system gave
/// it). Killed by its process id, with its whole tree, on dispose or when the test run exits. Linked into each test
/// project that starts one (tests/Shared).
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Seen)> watches = [];

    private ChildProcess(Process process) => this.process = process;

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="file"/> and returns once every pattern has matched a line (in any order).</summary>
    public static async Task<(ChildProcess Process, Match[] Matches)> StartAsync(string file, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, Regex[] readyWhen, TimeSpan patience)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Held open: the worker treats a closed stdin as "stop gracefully", and the crash test kills it instead.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var child = new ChildProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        var seen = readyWhen.Select(child.Watch).ToArray();
        child.process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        child.process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        child.process.Exited += (_, _) => exited.TrySetResult();
        if (!child.process.Start())
        {
            throw new InvalidOperationException($"{file} could not be started.");
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => child.Dispose();
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        var ready = Task.WhenAll(seen);
        var first = await Task.WhenAny(ready, exited.Task, Task.Delay(patience));
        if (first == exited.Task)
        {
            // Exited can be raised before the last lines have been read (a short-lived command such as the installer
            // prints its ready line and exits at once); the parameterless wait returns once both streams are drained.
            await Task.Run(() => child.process.WaitForExit());
            if (ready.IsCompletedSuccessfully)
            {
                first = ready;
            }
        }
        if (first != ready)
        {
            child.Dispose();
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {(first == exited.Task ? "exited" : $"was not ready in {patience.TotalSeconds:0} s")} before it said it was ready:\n{child.Output}");
        }
        return (child, await ready);
    }

    private Task<Match> Watch(Regex pattern)
    {
        var seen = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (output)
        {
            watches.Add((pattern, seen));
        }
        return seen.Task;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
            foreach (var (pattern, seen) in watches)
            {
                if (!seen.Task.IsCompleted && pattern.Match(line) is { Success: true } match)
                {
                    seen.TrySetResult(match);
                }
            }
        }
    }

    /// <summary>Kills the process at once (no shutdown code runs) and waits until it is gone.</summary>
    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
