using System.Text.Json.Nodes;

namespace ApartmentManager.Infrastructure.Tests;

/// <summary>The GPU inference app and the Flex Consumption function app.</summary>
[Collection(InfraCollection.Name)]
public sealed class ComputeTests(InfraFixture infra)
{
    [Fact]
    public void Gpu_app_always_keeps_at_least_one_replica()
    {
        var app = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.App/containerApps"));
        var minReplicas = app.Properties?["template"]?["scale"]?["minReplicas"];

        // In the module: a literal or a parameter whose minValue ARM enforces.
        Assert.True(app.Template.LowerBound(minReplicas) >= 1, $"minReplicas {minReplicas?.ToJsonString()} is not bounded below by 1.");

        // In main: the value passed in is bounded too, and every environment sets at least 1.
        Assert.True(infra.Main.Parameters["inferenceMinReplicas"]?["minValue"]?.GetValue<int>() >= 1);
        Assert.Equal("[parameters('inferenceMinReplicas')]", ModuleParameter("containerApps", "minReplicas"));
        foreach (var (file, values) in infra.ParameterValues)
        {
            Assert.True(values["inferenceMinReplicas"]?["value"]?.GetValue<int>() >= 1, $"{file} lets the GPU app scale to zero.");
        }
    }

    [Fact]
    public void Gpu_app_runs_on_a_gpu_workload_profile()
    {
        var app = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.App/containerApps"));
        var environment = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.App/managedEnvironments"));
        var profileName = app.Properties?["workloadProfileName"]?.ToString();

        var profile = Assert.Single(
            environment.Properties!["workloadProfiles"]!.AsArray(),
            p => p?["name"]?.ToString() == profileName);
        Assert.NotEqual("Consumption", profile!["workloadProfileType"]?.ToString());
        Assert.Equal("[parameters('gpuProfileType')]", profile["workloadProfileType"]?.ToString());
        foreach (var (file, values) in infra.ParameterValues)
        {
            Assert.Contains("GPU", values["gpuProfileType"]?["value"]?.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Gpu_app_has_readiness_and_liveness_probes()
    {
        var app = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.App/containerApps"));
        var container = Assert.Single(app.Properties!["template"]!["containers"]!.AsArray());
        var probes = container!["probes"]!.AsArray();

        string? PathOf(string type) => probes.SingleOrDefault(p => p?["type"]?.ToString() == type)?["httpGet"]?["path"]?.ToString();
        Assert.Equal("/readyz", PathOf("Readiness"));
        Assert.Equal("/healthz", PathOf("Liveness"));
    }

    [Fact]
    public void Gpu_app_is_reachable_only_inside_the_virtual_network()
    {
        var environment = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.App/managedEnvironments"));
        Assert.True(environment.Properties?["vnetConfiguration"]?["internal"]?.GetValue<bool>(), "The environment must be internal (no public endpoint).");

        var app = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.App/containerApps"));
        var ingress = app.Properties!["configuration"]!["ingress"]!;
        Assert.False(ingress["allowInsecure"]?.GetValue<bool>() ?? true);
        Assert.Equal("[parameters('targetPort')]", ingress["targetPort"]?.ToString());
        Assert.Equal("8080", ModuleParameter("containerApps", "targetPort"));
    }

    [Fact]
    public void Function_app_runs_on_flex_consumption_with_always_ready_http_and_durable()
    {
        var plan = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.Web/serverfarms"));
        Assert.Equal("FlexConsumption", plan.Node["sku"]?["tier"]?.ToString());
        Assert.Equal("FC1", plan.Node["sku"]?["name"]?.ToString());

        var site = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.Web/sites"));
        Assert.Equal("SystemAssigned", site.Node["identity"]?["type"]?.ToString());
        var config = site.Properties!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", config["runtime"]?["name"]?.ToString());
        Assert.Equal("SystemAssignedIdentity", config["deployment"]?["storage"]?["authentication"]?["type"]?.ToString());

        var alwaysReady = config["scaleAndConcurrency"]!["alwaysReady"]!.AsArray();
        foreach (var group in new[] { "http", "durable" })
        {
            var entry = Assert.Single(alwaysReady, a => a?["name"]?.ToString() == group);
            Assert.NotNull(entry!["instanceCount"]);
        }

        foreach (var (file, values) in infra.ParameterValues)
        {
            Assert.True(values["functionAlwaysReadyHttp"]?["value"]?.GetValue<int>() >= 1, $"{file}: no always-ready HTTP instance.");
            Assert.True(values["functionAlwaysReadyDurable"]?["value"]?.GetValue<int>() >= 1, $"{file}: no always-ready Durable instance.");
        }
    }

    [Fact]
    public void Function_app_reaches_the_inference_app_through_the_virtual_network()
    {
        var site = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.Web/sites"));
        Assert.NotNull(site.Properties?["virtualNetworkSubnetId"]);
        Assert.Contains("network", ModuleParameter("functions", "subnetId"), StringComparison.Ordinal);
        Assert.Contains("containerApps", ModuleParameter("functions", "inferenceFqdn"), StringComparison.Ordinal);

        // The internal environment's domain resolves through a private zone linked to the VNet.
        Assert.Single(infra.Main.AllResourcesOfType("Microsoft.Network/privateDnsZones/virtualNetworkLinks"));
        var record = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.Network/privateDnsZones/A"));
        Assert.Contains("'*'", record.Node["name"]?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Function_app_validates_bearer_tokens_at_the_platform_too()
    {
        // Defence in depth: a caller that bypasses the gateway still needs a valid Entra ID token.
        var auth = Assert.Single(
            infra.Main.AllResourcesOfType("Microsoft.Web/sites/config"),
            c => (c.Node["name"]?.ToString() ?? string.Empty).Contains("authsettingsV2", StringComparison.Ordinal));
        var validation = auth.Properties!["globalValidation"]!;
        Assert.True(validation["requireAuthentication"]?.GetValue<bool>());
        Assert.Equal("Return401", validation["unauthenticatedClientAction"]?.ToString());
        Assert.True(auth.Properties["identityProviders"]?["azureActiveDirectory"]?["enabled"]?.GetValue<bool>());
        Assert.Null(auth.Properties["identityProviders"]?["azureActiveDirectory"]?["registration"]?["clientSecretSettingName"]);
    }

    private string? ModuleParameter(string module, string parameter)
    {
        var deployment = Assert.Single(infra.Main.Resources, r => r.Key == module);
        return deployment.Properties?["parameters"]?[parameter]?["value"] switch
        {
            JsonValue v => v.ToString(),
            null => null,
            var other => other.ToJsonString(),
        };
    }
}
