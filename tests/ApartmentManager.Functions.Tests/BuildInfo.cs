using System.Reflection;

namespace ApartmentManager.Functions.Tests;

/// <summary>What the test project's build recorded about itself (AssemblyMetadata items in the project file).</summary>
internal static class BuildInfo
{
    private static string Read(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value ?? "";

    public static string RepoRoot => Read("RepoRoot");

    /// <summary>Debug or Release: the configuration this run was built in (the Functions app's output is next to it).</summary>
    public static string Configuration => Read("Configuration");

    /// <summary>Whether the Functions app was built on the attribute-only Service Bus extension stub.</summary>
    public static bool ServiceBusExtensionStubbed => string.Equals(Read("UseServiceBusExtensionStub"), "true", StringComparison.OrdinalIgnoreCase);
}
