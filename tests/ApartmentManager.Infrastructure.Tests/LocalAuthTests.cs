using System.Text.Json.Nodes;

namespace ApartmentManager.Infrastructure.Tests;

/// <summary>Every data-plane service has key/local authentication off (or the service's equivalent).</summary>
[Collection(InfraCollection.Name)]
public sealed class LocalAuthTests(InfraFixture infra)
{
    /// <summary>Resource type → property path that must hold the value that turns local auth off.</summary>
    public static TheoryData<string, string, bool> DataPlaneSwitches => new()
    {
        { "Microsoft.ServiceBus/namespaces", "disableLocalAuth", true },
        { "Microsoft.DocumentDB/databaseAccounts", "disableLocalAuth", true },
        { "Microsoft.DocumentDB/databaseAccounts", "disableKeyBasedMetadataWriteAccess", true },
        { "Microsoft.CognitiveServices/accounts", "disableLocalAuth", true },
        { "Microsoft.Storage/storageAccounts", "allowSharedKeyAccess", false },
        { "Microsoft.Storage/storageAccounts", "allowBlobPublicAccess", false },
        { "Microsoft.ContainerRegistry/registries", "adminUserEnabled", false },
        { "Microsoft.ContainerRegistry/registries", "anonymousPullEnabled", false },
        { "Microsoft.Insights/components", "DisableLocalAuth", true },
        { "Microsoft.KeyVault/vaults", "enableRbacAuthorization", true },
    };

    [Theory]
    [MemberData(nameof(DataPlaneSwitches))]
    public void Local_auth_is_off(string type, string property, bool expected)
    {
        var resources = infra.Main.AllResourcesOfType(type).ToList();
        Assert.True(resources.Count > 0, $"No {type} in the deployment.");
        foreach (var resource in resources)
        {
            var value = resource.Properties?[property];
            Assert.True(
                value is JsonValue v && v.TryGetValue<bool>(out var actual) && actual == expected,
                $"{resource}: {property} is {value?.ToJsonString() ?? "unset"}, expected {expected}.");
        }
    }

    [Fact]
    public void Every_data_plane_resource_type_in_the_deployment_is_checked()
    {
        // A new data-plane service must come with its local-auth check above.
        string[] dataPlaneProviders =
        [
            "Microsoft.ServiceBus/namespaces", "Microsoft.DocumentDB/databaseAccounts", "Microsoft.CognitiveServices/accounts",
            "Microsoft.Storage/storageAccounts", "Microsoft.ContainerRegistry/registries", "Microsoft.Insights/components",
            "Microsoft.KeyVault/vaults", "Microsoft.EventHub/namespaces", "Microsoft.EventGrid/topics", "Microsoft.Cache/redis",
            "Microsoft.Search/searchServices", "Microsoft.SignalRService/signalR", "Microsoft.AppConfiguration/configurationStores",
            "Microsoft.Sql/servers", "Microsoft.DBforPostgreSQL/flexibleServers",
        ];
        var checkedTypes = DataPlaneSwitches.Select(row => (string)row[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var deployed = infra.Main.AllResources().Select(r => r.Type).Where(t => dataPlaneProviders.Contains(t, StringComparer.OrdinalIgnoreCase));

        Assert.All(deployed, type => Assert.Contains(type, checkedTypes));
    }

    [Fact]
    public void Function_app_basic_publishing_credentials_are_off()
    {
        var policies = infra.Main.AllResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        var names = policies.Select(p => p.Node["name"]?.ToString() ?? string.Empty).ToList();

        Assert.Contains(names, n => n.Contains("'ftp'", StringComparison.Ordinal) || n.EndsWith("/ftp", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("'scm'", StringComparison.Ordinal) || n.EndsWith("/scm", StringComparison.Ordinal));
        Assert.All(policies, p => Assert.False(p.Properties?["allow"]?.GetValue<bool>() ?? true, p.ToString()));
    }

    [Fact]
    public void Function_app_is_https_only_with_modern_tls()
    {
        var site = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.Web/sites"));
        Assert.True(site.Properties?["httpsOnly"]?.GetValue<bool>());
        Assert.Equal("1.2", site.Properties?["siteConfig"]?["minTlsVersion"]?.ToString());
    }
}
