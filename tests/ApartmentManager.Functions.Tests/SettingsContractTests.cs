using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using ApartmentManager.Adapters.Cosmos;
using ApartmentManager.Adapters.Inference;
using ApartmentManager.Execution;
using ApartmentManager.Functions.Platform;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Functions.Tests;

/// <summary>
/// The settings Azure gives the apps = the settings the code reads. <c>bicep snapshot</c> evaluates
/// <c>infra/main.bicep</c> with the production parameters; the function app's app settings are then bound exactly as
/// the worker does (environment variables, <c>__</c> → <c>:</c>) through the app's real composition, every options
/// type is resolved and validated, and the test fails on a setting nothing reads or a mode left half-configured.
/// Values only known at deployment (another resource's endpoint) stand in as a URL; a Key Vault reference stands in as
/// the secret the platform resolves it to.
/// </summary>
public sealed class SettingsContractTests : IClassFixture<SettingsContractTests.Snapshot>
{
    /// <summary>Settings read by the platform, not by the app's code, and why.</summary>
    private static readonly Dictionary<string, string> PlatformSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AzureWebJobsStorage__accountName"] = "Functions host storage and the Durable task hub (identity-based)",
        ["AzureWebJobsStorage__credential"] = "Functions host storage and the Durable task hub (identity-based)",
        ["ServiceBusConnection__fullyQualifiedNamespace"] = "the Service Bus extension, connection named by the triggers",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "Functions host telemetry",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "Functions host telemetry (Entra ID ingestion)",
    };

    /// <summary>The inference container app's environment: read by ASP.NET Core, Azure.Identity and the telemetry exporter.</summary>
    private static readonly HashSet<string> ContainerPlatformSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "ASPNETCORE_HTTP_PORTS", "AZURE_CLIENT_ID", "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    };

    private readonly Snapshot snapshot;

    public SettingsContractTests(Snapshot snapshot) => this.snapshot = snapshot;

    [Fact]
    public void Every_function_app_setting_is_read_by_the_app_or_the_platform()
    {
        var bound = Bind(snapshot.FunctionAppSettings);

        var bindingExpressions = BindingExpressionSettings();
        var unread = snapshot.FunctionAppSettings.Keys
            .Where(name => !PlatformSettings.ContainsKey(name) && !bindingExpressions.Contains(name) && !bound.Read.Contains(ToKey(name)))
            .ToList();
        Assert.True(unread.Count == 0, "Set in infra but read by nothing: " + string.Join(", ", unread));
        Assert.Equal("ServiceBusConnection", ServiceBusDomainEventPublisher.Connection);
        // The namespace setting also turns on the domain events on the topic.
        Assert.Contains(bound.Services.GetServices<ApartmentManager.Application.Events.IDomainEventPublisher>(), p => p is ServiceBusDomainEventPublisher);
    }

    [Fact]
    public void A_binding_expression_names_a_setting_infra_sets()
    {
        // "%LearningSchedule%" in a trigger is resolved by the Functions host from app settings: each one must be set.
        var expressions = BindingExpressionSettings();
        Assert.Contains("LearningSchedule", expressions);
        Assert.All(expressions, name => Assert.True(snapshot.FunctionAppSettings.ContainsKey(name), $"%{name}% is bound by a trigger but infra does not set it"));
    }

    /// <summary>
    /// Settings the Functions host reads on the app's behalf: <c>%Name%</c> binding expressions in the arguments of the
    /// app's trigger and binding attributes (a timer's schedule, a queue's name).
    /// </summary>
    private static HashSet<string> BindingExpressionSettings() =>
    [
        .. from type in typeof(ServiceBusDomainEventPublisher).Assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
           where method.GetCustomAttribute<Microsoft.Azure.Functions.Worker.FunctionAttribute>() is not null
           from parameter in method.GetParameters()
           from attribute in parameter.GetCustomAttributesData()
           from value in attribute.ConstructorArguments.Select(a => a.Value).Concat(attribute.NamedArguments.Select(a => a.TypedValue.Value))
           where value is string
           from System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches((string)value!, "%([A-Za-z0-9_]+)%")
           select match.Groups[1].Value,
    ];

    [Fact]
    public void The_configured_modes_are_complete_and_valid_in_azure()
    {
        var bound = Bind(snapshot.FunctionAppSettings);
        var services = bound.Services;

        var execution = services.GetRequiredService<IOptions<ExecutionOptions>>().Value;
        Assert.Equal(ExecutionMode.Webhook, execution.Mode);
        Assert.NotNull(execution.Webhook.WorkOrdersUrl);
        Assert.NotNull(execution.Webhook.NotificationsUrl);
        Assert.NotNull(execution.Webhook.LedgerUrl);
        Assert.Equal(KeyVaultResolved, execution.Webhook.SigningSecret);

        var inference = services.GetRequiredService<IOptions<InferenceClientOptions>>().Value;
        Assert.Equal(InferenceMode.Remote, inference.Mode);
        Assert.NotNull(inference.BaseUrl);

        Assert.NotNull(services.GetService<IChatClient>()); // the LLM stage is on
        Assert.False(string.IsNullOrEmpty(services.GetRequiredService<IOptions<CosmosDbOptions>>().Value.AccountEndpoint));
    }

    [Fact]
    public void The_signing_secret_comes_from_key_vault_through_a_reference()
    {
        var value = snapshot.FunctionAppSettings["Execution__Webhook__SigningSecret"];
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", value, StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_catches_a_setting_nothing_reads()
    {
        // The names infra used before this test existed: a misspelt option must be reported, not ignored.
        var settings = new Dictionary<string, string>(snapshot.FunctionAppSettings, StringComparer.OrdinalIgnoreCase)
        {
            ["AzureOpenAI__chatDeployment"] = "chat",
            ["Inference__baseAddress"] = "https://inference.example/",
        };
        var bound = Bind(settings);

        Assert.DoesNotContain(ToKey("AzureOpenAI__chatDeployment"), bound.Read);
        Assert.DoesNotContain(ToKey("Inference__baseAddress"), bound.Read);
        Assert.Contains(ToKey("AzureOpenAI__Deployment"), bound.Read);
    }

    [Fact]
    public void The_check_catches_a_required_option_left_unset()
    {
        var settings = new Dictionary<string, string>(snapshot.FunctionAppSettings, StringComparer.OrdinalIgnoreCase);
        settings.Remove("Execution__Webhook__LedgerUrl");

        Assert.Throws<OptionsValidationException>(() => Bind(settings));
    }

    [Fact]
    public void The_inference_container_app_sets_only_what_its_platform_reads()
    {
        Assert.NotEmpty(snapshot.ContainerAppSettings);
        Assert.All(snapshot.ContainerAppSettings, name => Assert.Contains(name, ContainerPlatformSettings));
    }

    private const string KeyVaultResolved = "resolved-from-key-vault-0123456789abcdef";

    private static string ToKey(string setting) => setting.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>A deploy-time expression replaced by a value of the shape the platform will give the setting.</summary>
    private static string Sample(string name, string value) =>
        value.Contains("@Microsoft.KeyVault(", StringComparison.Ordinal) ? KeyVaultResolved
        : !value.StartsWith('[') ? value
        : name.EndsWith("CONNECTION_STRING", StringComparison.OrdinalIgnoreCase)
            ? "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://deploy-time.example/"
            : "https://deploy-time.example/";

    private sealed record Bound(ServiceProvider Services, HashSet<string> Read);

    /// <summary>The app's composition over these settings, every options type resolved, start-up validation run.</summary>
    private static Bound Bind(IReadOnlyDictionary<string, string> settings)
    {
        var source = new RecordingSource(settings.ToDictionary(s => ToKey(s.Key), s => (string?)Sample(s.Key, s.Value), StringComparer.OrdinalIgnoreCase));
        var configuration = new ConfigurationBuilder().Add(source).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddApartmentManagerFunctions(configuration);
        var optionTypes = services.Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(t => t.GetGenericArguments()[0]).Distinct().ToList();
        var provider = services.BuildServiceProvider();
        provider.GetService<IStartupValidator>()?.Validate();
        foreach (var type in optionTypes)
        {
            var options = provider.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
            try
            {
                _ = options.GetType().GetProperty("Value")!.GetValue(options);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            }
        }
        return new Bound(provider, source.Provider.Read);
    }

    private sealed class RecordingSource(Dictionary<string, string?> values) : IConfigurationSource
    {
        public RecordingProvider Provider { get; } = new(values);

        public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
    }

    private sealed class RecordingProvider : ConfigurationProvider
    {
        public RecordingProvider(Dictionary<string, string?> values) => Data = values;

        public HashSet<string> Read { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override bool TryGet(string key, out string? value)
        {
            var found = base.TryGet(key, out value);
            if (found)
            {
                Read.Add(key);
            }
            return found;
        }
    }

    /// <summary><c>bicep snapshot</c> of the production parameters, made once per test class in a copy of infra/.</summary>
    public sealed class Snapshot : IDisposable
    {
        private readonly string directory = Path.Combine(Path.GetTempPath(), "am-infra-snapshot-" + Guid.NewGuid().ToString("N"));

        public Snapshot()
        {
            var repo = typeof(SettingsContractTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
            var bicep = typeof(SettingsContractTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
            CopyDirectory(Path.Combine(repo, "infra"), directory);
            var start = new ProcessStartInfo(Path.GetFullPath(bicep)) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "snapshot", "main.prod.bicepparam", "--mode", "overwrite" })
            {
                start.ArgumentList.Add(argument);
            }
            // The parameters file reads these; clear them so the committed defaults are what is checked.
            foreach (var name in new[] { "AZURE_ENV_NAME", "AZURE_LOCATION", "AZURE_OPENAI_LOCATION", "SERVICE_INFERENCE_IMAGE_NAME", "APIM_PUBLISHER_EMAIL",
                         "IMPORT_OPENAPI_FROM_APP", "API_AUDIENCE", "API_CLIENT_ID", "WEB_ORIGIN", "EXECUTION_WEBHOOK_BASE_URL" })
            {
                start.Environment.Remove(name);
            }
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0)
            {
                throw new InvalidOperationException($"bicep snapshot failed: {output} {error.Result}");
            }
            var resources = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "main.prod.snapshot.json")))!["predictedResources"]!.AsArray();
            var site = resources.Single(r => (string?)r!["type"] == "Microsoft.Web/sites")!;
            FunctionAppSettings = site["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
                .ToDictionary(s => (string)s!["name"]!, s => s!["value"]!.ToString(), StringComparer.OrdinalIgnoreCase);
            var app = resources.Single(r => (string?)r!["type"] == "Microsoft.App/containerApps")!;
            ContainerAppSettings = [.. app["properties"]!["template"]!["containers"]!.AsArray()
                .SelectMany(c => c!["env"]?.AsArray() ?? []).Select(e => (string)e!["name"]!)];
        }

        public IReadOnlyDictionary<string, string> FunctionAppSettings { get; }

        public IReadOnlyList<string> ContainerAppSettings { get; }

        private static void CopyDirectory(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(to, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
