using System.Text.RegularExpressions;

namespace ApartmentManager.Tests.Shared;

/// <summary>
/// The loopback test servers of tests/local-servers (Azurite, the Cosmos-protocol server: pinned npm packages): where
/// they are, installing them once, and starting one on port 0 and reading the port it got from its start-up lines.
/// Linked into each test project that starts one (tests/Shared).
/// </summary>
internal static class LocalServers
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InstallOnce = new(1, 1);
    private static bool installed;

    /// <summary>tests/local-servers: <c>LOCAL_SERVERS_DIR</c> when set, else found above the test's own folder.</summary>
    public static string Directory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("LOCAL_SERVERS_DIR") is { Length: > 0 } configured)
            {
                return configured;
            }
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "local-servers");
                if (File.Exists(Path.Combine(candidate, "install.sh")))
                {
                    return candidate;
                }
            }
            throw new InvalidOperationException($"tests/local-servers not found above {AppContext.BaseDirectory}; set LOCAL_SERVERS_DIR.");
        }
    }

    /// <summary>
    /// Starts <c>node</c> with <paramref name="arguments"/> in tests/local-servers (installed first) and returns once every
    /// pattern has matched a line; each pattern's group 1 is the port a service listens on, in the patterns' order.
    /// </summary>
    public static async Task<(ChildProcess Process, int[] Ports)> StartAsync(
        IEnumerable<string> arguments, Regex[] listeningOn, TimeSpan patience, IReadOnlyDictionary<string, string>? environment = null)
    {
        await InstallAsync();
        var (process, matches) = await ChildProcess.StartAsync("node", arguments, Directory,
            environment ?? new Dictionary<string, string>(), listeningOn, patience);
        return (process, [.. matches.Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))]);
    }

    /// <summary>install.sh returns at once when node_modules is current and runs <c>npm ci</c> otherwise; run once per test process.</summary>
    private static async Task InstallAsync()
    {
        await InstallOnce.WaitAsync();
        try
        {
            if (installed)
            {
                return;
            }
            var (install, _) = await ChildProcess.StartAsync("bash", ["-c", "bash install.sh && echo local-servers-installed"], Directory,
                new Dictionary<string, string>(), [new Regex("^local-servers-installed$")], InstallTimeout);
            install.Dispose();
            installed = true;
        }
        finally
        {
            InstallOnce.Release();
        }
    }
}
