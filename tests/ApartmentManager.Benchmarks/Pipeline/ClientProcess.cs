using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace ApartmentManager.Benchmarks.Pipeline;

/// <summary>
/// The burst's 64 posting clients in a process of their own (<c>BENCH_CLIENTS=process</c>), so that the host's process
/// CPU is the server's alone. The benchmark starts itself again as <c>post-load ADDRESS TOKEN COUNT</c>; the child posts
/// the same bodies the in-process clients do and prints its own process CPU time on its last line.
/// </summary>
public static class ClientProcess
{
    private const string CpuLine = "CLIENT cpu-ms=";

    /// <summary>The child: posts <c>COUNT</c> requests with 64 concurrent clients, then reports its CPU time.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var address = new Uri(args[0]);
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", args[1]);
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (i, ct) =>
            {
                using var response = await client.PostAsJsonAsync("/api/v1/requests", PipelineThroughput.Body(i), ct);
                response.EnsureSuccessStatusCode();
            });
        Console.WriteLine(CpuLine + Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>The parent: runs the child to completion and returns the child's process CPU time in milliseconds.</summary>
    public static async Task<double> PostAsync(string address, string token, int count)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ClientProcess).Assembly.Location);
        }
        foreach (var arg in new[] { "post-load", address, token, count.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        using var child = Process.Start(start) ?? throw new InvalidOperationException("the client process did not start");
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(CpuLine, StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"the client process failed (exit {child.ExitCode}): {output}");
        }
        return double.Parse(line[CpuLine.Length..], CultureInfo.InvariantCulture);
    }
}
