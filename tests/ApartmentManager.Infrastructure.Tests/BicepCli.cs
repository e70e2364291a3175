using System.Diagnostics;
using System.Reflection;

namespace ApartmentManager.Infrastructure.Tests;

/// <summary>Result of one Bicep CLI invocation.</summary>
public sealed record BicepRun(string Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() =>
        $"bicep {Arguments} exited {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>
/// Runs the Bicep CLI that the Azure.Bicep.CommandLine.linux-x64 package restores. The path comes
/// from $(BicepPath) at build time; BICEP_PATH overrides it on machines where that binary cannot run.
/// </summary>
public static class BicepCli
{
    // Variables the .bicepparam files read through readEnvironmentVariable(); cleared so the tests
    // see the committed defaults even when run from a shell with an azd environment loaded.
    private static readonly string[] ParameterEnvironmentVariables =
    [
        "AZURE_ENV_NAME", "AZURE_LOCATION", "AZURE_OPENAI_LOCATION", "SERVICE_INFERENCE_IMAGE_NAME",
        "APIM_PUBLISHER_EMAIL", "IMPORT_OPENAPI_FROM_APP", "API_AUDIENCE", "API_CLIENT_ID", "WEB_ORIGIN", "EXECUTION_WEBHOOK_BASE_URL",
    ];

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string ExecutablePath { get; } = Locate();

    public static async Task<BicepRun> RunAsync(string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(ExecutablePath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in ParameterEnvironmentVariables)
        {
            startInfo.Environment.Remove(name);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("bicep did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepRun(string.Join(' ', arguments), process.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        var path = Environment.GetEnvironmentVariable("BICEP_PATH");
        if (string.IsNullOrWhiteSpace(path))
        {
            path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "BicepPath")?.Value;
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException("BicepPath was not set at build time; is Azure.Bicep.CommandLine.linux-x64 restored?");
        }

        path = Path.GetFullPath(path.Replace('\\', Path.DirectorySeparatorChar));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Bicep CLI not found at {path}.", path);
        }

        // Some package extractors drop the executable bit.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
            }
        }

        return path;
    }
}
