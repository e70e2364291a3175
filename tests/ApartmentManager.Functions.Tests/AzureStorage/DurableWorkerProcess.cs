using System.Text.RegularExpressions;
using ApartmentManager.Tests.Shared;

namespace ApartmentManager.Functions.Tests.AzureStorage;

/// <summary>
/// tests/ApartmentManager.DurableWorker as a child process: the gRPC sidecar over the Azure Storage backend and the
/// Durable Task SDK worker running the Functions app's orchestrator and activities. Started with <c>dotnet</c> on the
/// worker's own build output, configured through its environment, ready once it prints its sidecar address.
/// </summary>
internal static partial class DurableWorkerProcess
{
    public static async Task<ChildProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var (process, _) = await ChildProcess.StartAsync("dotnet", [WorkerAssembly()], AppContext.BaseDirectory, environment, [ReadyLine()], TimeSpan.FromSeconds(90));
        return process;
    }

    /// <summary>The worker's entry assembly: copied beside the tests by the project reference, else in its own output folder.</summary>
    private static string WorkerAssembly()
    {
        const string name = "ApartmentManager.DurableWorker";
        var beside = Path.Combine(AppContext.BaseDirectory, name + ".dll");
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, name + ".runtimeconfig.json")))
        {
            return beside;
        }
        var own = Path.Combine(BuildInfo.RepoRoot, "tests", name, "bin", BuildInfo.Configuration, "net10.0", name + ".dll");
        return File.Exists(own) ? own : throw new FileNotFoundException($"{name} is not built (looked beside the tests and in {own}).");
    }

    [GeneratedRegex(@"^ready http://127\.0\.0\.1:\d+")]
    private static partial Regex ReadyLine();
}
