using System.Text.Json.Nodes;

namespace ApartmentManager.Infrastructure.Tests;

/// <summary>
/// Inbound traffic to the function app: only API Management's subnet reaches it (default deny, SCM site restricted
/// too), the platform accepts tokens of the allowed client applications only, and the signed webhooks pass the
/// platform's authentication (the app checks their HMAC signature). Asserted on the ARM JSON the Bicep CLI compiled.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class InboundAccessTests(InfraFixture infra)
{
    private ArmResource Site => Assert.Single(infra.Main.AllResourcesOfType("Microsoft.Web/sites"));

    private ArmResource Authentication => Assert.Single(
        infra.Main.AllResourcesOfType("Microsoft.Web/sites/config"),
        c => (c.Node["name"]?.ToString() ?? string.Empty).Contains("authsettingsV2", StringComparison.Ordinal));

    [Fact]
    public void The_function_app_admits_only_the_api_management_subnet_and_denies_the_rest()
    {
        var config = Site.Properties!["siteConfig"]!;
        Assert.Equal("Deny", config["ipSecurityRestrictionsDefaultAction"]?.ToString());
        var rule = Assert.Single(config["ipSecurityRestrictions"]!.AsArray())!;
        Assert.Equal("Allow", rule["action"]?.ToString());
        Assert.Equal("[parameters('apimSubnetId')]", rule["vnetSubnetResourceId"]?.ToString());
        // No address or service-tag rule: the ApiManagement service tag is the control plane, any tenant's.
        Assert.Null(rule["ipAddress"]);
        Assert.Null(rule["tag"]);

        // main wires the same subnet into the app's rule and into API Management's VNet integration.
        Assert.Contains("apimSubnetId", ModuleParameter("functions", "apimSubnetId"), StringComparison.Ordinal);
        Assert.Contains("network", ModuleParameter("functions", "apimSubnetId"), StringComparison.Ordinal);
        Assert.Equal(ModuleParameter("functions", "apimSubnetId"), ModuleParameter("apim", "subnetId"));
    }

    [Fact]
    public void The_deployment_site_has_its_own_list_and_denies_by_default()
    {
        var config = Site.Properties!["siteConfig"]!;
        Assert.False(config["scmIpSecurityRestrictionsUseMain"]?.GetValue<bool>() ?? true);
        Assert.Equal("Deny", config["scmIpSecurityRestrictionsDefaultAction"]?.ToString());
        // A property loop compiles to a "copy" entry of the same name (or to the literal array when it has none).
        var rules = (config["scmIpSecurityRestrictions"]
            ?? Assert.Single(config["copy"]!.AsArray(), c => c!["name"]?.ToString() == "scmIpSecurityRestrictions"))!.ToJsonString();
        Assert.Contains("deploymentAllowedIpRanges", rules, StringComparison.Ordinal);
        Assert.Contains("Allow", rules, StringComparison.Ordinal);
        // Nothing is allowed unless an operator names a range.
        Assert.Equal("[]", infra.Main.Parameters["deploymentAllowedIpRanges"]?["defaultValue"]?.ToJsonString());
    }

    [Fact]
    public void Api_management_sends_its_backend_calls_from_the_integrated_subnet()
    {
        var service = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.ApiManagement/service"));
        Assert.Equal("External", service.Properties!["virtualNetworkType"]?.ToString());
        Assert.Equal("[parameters('subnetId')]", service.Properties["virtualNetworkConfiguration"]?["subnetResourceId"]?.ToString());
        // VNet integration is a v2-tier feature: no parameter file may pick a tier without it.
        var apim = infra.Compiled["modules/apim.bicep"];
        Assert.Equal(["StandardV2"], apim["parameters"]!["skuName"]!["allowedValues"]!.AsArray().Select(v => v!.ToString()));
        foreach (var (file, values) in infra.ParameterValues)
        {
            Assert.True(values["apimSku"]?["value"]?.ToString() == "StandardV2", $"{file}: API Management tier without VNet integration.");
        }

        var vnet = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.Network/virtualNetworks"));
        var subnet = Assert.Single(vnet.Properties!["subnets"]!.AsArray(), s => s!["name"]?.ToString() == "snet-apim")!;
        Assert.Equal("Microsoft.Web/serverFarms", subnet["properties"]!["delegations"]![0]!["properties"]!["serviceName"]?.ToString());
        Assert.Contains(subnet["properties"]!["serviceEndpoints"]!.AsArray(), e => e!["service"]?.ToString() == "Microsoft.Web");
        Assert.NotNull(subnet["properties"]!["networkSecurityGroup"]);
    }

    [Fact]
    public void Platform_authentication_accepts_only_the_allowed_client_applications()
    {
        var aad = Authentication.Properties!["identityProviders"]!["azureActiveDirectory"]!;
        Assert.Equal("[parameters('allowedClientApplications')]",
            aad["validation"]?["defaultAuthorizationPolicy"]?["allowedApplications"]?.ToString());
        Assert.Contains("apiAllowedClientApplications", ModuleParameter("functions", "allowedClientApplications"), StringComparison.Ordinal);
        foreach (var (file, values) in infra.ParameterValues)
        {
            Assert.True(values.ContainsKey("apiAllowedClientApplications"), $"{file} does not say whose tokens are accepted.");
        }
    }

    [Fact]
    public void Every_signed_hook_route_passes_platform_authentication_and_nothing_else_new_does()
    {
        var validation = Authentication.Properties!["globalValidation"]!;
        Assert.True(validation["requireAuthentication"]?.GetValue<bool>());
        var excluded = validation["excludedPaths"]!.ToString();
        var hooks = infra.Compiled["modules/functions.bicep"]["variables"]!["signedHookPaths"]!.AsArray().Select(p => p!.ToString()).ToList();
        Assert.Contains("signedHookPaths", excluded, StringComparison.Ordinal);

        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraPaths.InfraDirectory, "openapi", "apartment-manager.openapi.json")))!;
        var hookRoutes = document["paths"]!.AsObject().Select(p => p.Key).Where(p => p.StartsWith("/api/v1/hooks/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(hookRoutes);
        Assert.Equal(hookRoutes.Order(StringComparer.Ordinal), hooks.Order(StringComparer.Ordinal));
        // Besides the hooks, only the probes and the OpenAPI document are anonymous.
        foreach (var path in new[] { "/api/v1/health", "/api/v1/health/ready", "openApiPath" })
        {
            Assert.Contains(path, excluded, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("/api/v1/requests", excluded, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/v1/admin", excluded, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_agent_operation_the_gateway_imports_answers_403_to_a_caller_without_a_role()
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraPaths.InfraDirectory, "openapi", "apartment-manager.openapi.json")))!;
        var agents = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Operation: o.Value!)))
            .Where(o => o.Operation["tags"]?.AsArray().Any(t => t!.ToString() == "Agents") == true)
            .ToList();

        Assert.Equal(9, agents.Count);
        Assert.All(agents, a => Assert.True(a.Operation["responses"]?["403"] is not null, $"{a.Path} does not document 403."));
    }

    private string? ModuleParameter(string module, string parameter)
    {
        var deployment = Assert.Single(infra.Main.Resources, r => r.Key == module);
        return deployment.Properties?["parameters"]?[parameter]?["value"]?.ToString();
    }
}
