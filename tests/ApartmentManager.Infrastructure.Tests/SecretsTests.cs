using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ApartmentManager.Infrastructure.Tests;

/// <summary>No account key, SAS or secret-bearing connection string anywhere: identities only.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class SecretsTests(InfraFixture infra)
{
    // ARM functions that return keys or credentials.
    private static readonly string[] SecretFunctions =
        ["listKeys(", "listConnectionStrings(", "listCredentials(", "listSecrets(", "listAccountSas(", "listServiceSas(", "listAuthKeys("];

    // Fragments that only appear in connection strings carrying a credential.
    private static readonly string[] SecretFragments =
        ["AccountKey=", "SharedAccessKey=", "SharedAccessSignature=", "Password=", "pwd=", "sig=", "DefaultEndpointsProtocol="];

    public static TheoryData<string> BicepFiles => [.. InfraPaths.BicepFiles(".bicep")];

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Compiled_templates_never_read_keys_or_credentials(string file)
    {
        var text = infra.CompiledText[file];
        foreach (var function in SecretFunctions)
        {
            Assert.DoesNotContain(function, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Function_app_settings_hold_no_keys_or_connection_strings()
    {
        var sites = infra.Main.AllResourcesOfType("Microsoft.Web/sites").ToList();
        Assert.NotEmpty(sites);
        foreach (var site in sites)
        {
            var settings = AppSettings(site);
            Assert.NotEmpty(settings);
            foreach (var (name, value) in settings)
            {
                AssertNotSecret(name, value, site.ToString());
            }

            // Host storage must be identity-based: the plain setting is a connection string.
            Assert.DoesNotContain(settings, s => s.Name.Equals("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase));
            Assert.Null(site.Properties?["siteConfig"]?["connectionStrings"]);
        }
    }

    [Fact]
    public void Function_app_uses_identity_based_connections()
    {
        var site = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.Web/sites"));
        var names = AppSettings(site).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("AzureWebJobsStorage__accountName", names);
        Assert.Contains("ServiceBusConnection__fullyQualifiedNamespace", names);
        Assert.Contains("CosmosDb__accountEndpoint", names);
        Assert.Contains("AzureOpenAI__Endpoint", names);
        Assert.Contains("Execution__Webhook__SigningSecret", names);
        Assert.Contains("Inference__BaseUrl", names);
        // App Insights ingestion authenticates with the app's identity, not the instrumentation key.
        var auth = AppSettings(site).Single(s => s.Name == "APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
        Assert.Equal("Authorization=AAD", auth.Value);
    }

    [Fact]
    public void Container_apps_carry_no_secrets()
    {
        var apps = infra.Main.AllResourcesOfType("Microsoft.App/containerApps").ToList();
        Assert.NotEmpty(apps);
        foreach (var app in apps)
        {
            Assert.Null(app.Properties?["configuration"]?["secrets"]);
            foreach (var registry in app.Properties?["configuration"]?["registries"]?.AsArray() ?? [])
            {
                Assert.Null(registry?["passwordSecretRef"]);
                Assert.NotNull(registry?["identity"]);
            }

            foreach (var container in app.Properties?["template"]?["containers"]?.AsArray() ?? [])
            {
                foreach (var variable in container?["env"]?.AsArray() ?? [])
                {
                    Assert.Null(variable?["secretRef"]);
                    AssertNotSecret(variable?["name"]?.ToString() ?? "?", variable?["value"]?.ToString() ?? string.Empty, app.ToString());
                }
            }
        }
    }

    [Fact]
    public void Container_apps_environment_ships_logs_without_a_workspace_key()
    {
        foreach (var environment in infra.Main.AllResourcesOfType("Microsoft.App/managedEnvironments"))
        {
            Assert.Null(environment.Properties?["appLogsConfiguration"]?["logAnalyticsConfiguration"]?["sharedKey"]);
        }
    }

    [Fact]
    public void No_template_takes_a_secure_parameter()
    {
        // Nothing secret is needed to deploy; a secure parameter would invite someone to add one.
        foreach (var template in infra.Main.SelfAndModules())
        {
            foreach (var (name, declaration) in template.Parameters)
            {
                var type = declaration?["type"]?.ToString() ?? string.Empty;
                Assert.False(
                    type.StartsWith("secure", StringComparison.OrdinalIgnoreCase),
                    $"{template.Path} parameter '{name}' is {type}.");
            }
        }
    }

    [Theory]
    [InlineData("main.dev.bicepparam")]
    [InlineData("main.prod.bicepparam")]
    public void Parameter_files_contain_no_secrets(string file)
    {
        foreach (var (name, entry) in infra.ParameterValues[file])
        {
            var value = entry?["value"]?.ToJsonString() ?? string.Empty;
            AssertNotSecret(name, value, file);
            Assert.DoesNotMatch(KeyLikePattern(), value);
            Assert.Null(entry?["reference"]);
        }
    }

    [Fact]
    public void Secret_detection_catches_a_storage_connection_string()
    {
        // Guards the guard: the checks above must fail on the thing they look for.
        Assert.ThrowsAny<Exception>(() => AssertNotSecret(
            "AzureWebJobsStorage",
            // Assembled at run time so the repository's own secret scan does not mistake the sample for a key.
            "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=" + string.Concat(Enumerable.Repeat("Zm9vYmFy", 6)) + "==",
            "sample"));
        Assert.ThrowsAny<Exception>(() => AssertNotSecret("ServiceBus", "[listKeys(resourceId('x'), '2022-10-01').primaryKey]", "sample"));
    }

    private static List<(string Name, string Value)> AppSettings(ArmResource site) =>
        (site.Properties?["siteConfig"]?["appSettings"]?.AsArray() ?? [])
            .Select(s => (s?["name"]?.ToString() ?? "?", s?["value"]?.ToString() ?? string.Empty))
            .ToList();

    private static void AssertNotSecret(string name, string value, string where)
    {
        foreach (var function in SecretFunctions)
        {
            Assert.False(value.Contains(function, StringComparison.OrdinalIgnoreCase), $"{where}: '{name}' calls {function}");
        }

        foreach (var fragment in SecretFragments)
        {
            Assert.False(value.Contains(fragment, StringComparison.OrdinalIgnoreCase), $"{where}: '{name}' contains {fragment}");
        }

        Assert.False(KeyLikePattern().IsMatch(value), $"{where}: '{name}' looks like a key.");
    }

    // 40+ characters of base64 ending in padding, as account keys and SAS signatures look.
    [GeneratedRegex("[A-Za-z0-9+/]{40,}={1,2}")]
    private static partial Regex KeyLikePattern();
}
