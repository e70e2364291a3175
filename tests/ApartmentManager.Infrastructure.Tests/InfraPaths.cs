using System.Reflection;

namespace ApartmentManager.Infrastructure.Tests;

/// <summary>Where the repository and its infra/ folder are.</summary>
public static class InfraPaths
{
    public static string RepoRoot { get; } = LocateRepoRoot();

    public static string InfraDirectory => Path.Combine(RepoRoot, "infra");

    /// <summary>Every Bicep and Bicep parameters file under infra/, relative to infra/, sorted.</summary>
    public static IReadOnlyList<string> BicepFiles(string extension) =>
        Directory.EnumerateFiles(InfraDirectory, "*" + extension, SearchOption.AllDirectories)
            .Where(f => string.Equals(Path.GetExtension(f), extension, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(InfraDirectory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string LocateRepoRoot()
    {
        var root = typeof(InfraPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (!string.IsNullOrWhiteSpace(root) && Directory.Exists(Path.Combine(root, "infra")))
        {
            return Path.GetFullPath(root);
        }

        // Fallback: walk up from the test binaries.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "infra", "main.bicep")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Could not find the repository root (a folder with infra/main.bicep).");
    }
}
