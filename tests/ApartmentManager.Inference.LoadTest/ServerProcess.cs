using System.Diagnostics;
using System.Text.RegularExpressions;
using ApartmentManager.Tests.Shared;

/// <summary>
/// The model server in its own process (the built ApartmentManager.Inference.Server beside this tool), so its CPU
/// time is measured apart from the load tool's 64 clients. Started through the tests' shared <see cref="ChildProcess"/>
/// on a port the operating system assigns; ready once its <c>readyz</c> answers (after warm-up). Killed on dispose.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly ChildProcess _child;
    private readonly Process _process;

    private ServerProcess(ChildProcess child, Uri address)
    {
        _child = child;
        _process = Process.GetProcessById(child.Id);
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The server process's CPU time so far (user + system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Warning",
            // The line that names the port the operating system gave it.
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var (child, matches) = await ChildProcess.StartAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "ApartmentManager.Inference.Server.dll"), "--urls", "http://127.0.0.1:0"],
            AppContext.BaseDirectory, environment, [ListeningOn()], TimeSpan.FromMinutes(5));
        var server = new ServerProcess(child, new Uri(matches[0].Groups[1].Value + "/"));
        using var http = new HttpClient { BaseAddress = server.Address };
        var until = DateTime.UtcNow.AddMinutes(5);
        while (!await IsReadyAsync(http))
        {
            if (child.HasExited || DateTime.UtcNow > until)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"The model server was not ready within 5 minutes:\n{child.Output}");
            }
            await Task.Delay(100);
        }
        return server;
    }

    private static async Task<bool> IsReadyAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("readyz")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _child.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
