using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ApartmentManager.Infrastructure.Tests;

/// <summary>One SARIF result from `bicep lint`.</summary>
public sealed record LintDiagnostic(string File, string RuleId, string Level, string Message)
{
    public override string ToString() => $"{File}: {Level} {RuleId}: {Message}";
}

/// <summary>
/// Runs the Bicep CLI once per test run (lint, build, build-params, and a lint of a deliberately
/// bad file to prove the strict configuration is in force), in parallel, into a temporary folder.
/// </summary>
public sealed class InfraFixture : IAsyncLifetime
{
    private readonly string _outputDirectory = Directory.CreateTempSubdirectory("am-infra-tests-").FullName;

    public BicepRun Lint { get; private set; } = null!;

    public BicepRun Build { get; private set; } = null!;

    public BicepRun BuildParams { get; private set; } = null!;

    public BicepRun CanaryLint { get; private set; } = null!;

    /// <summary>One SARIF log per linted file (the CLI writes them back to back).</summary>
    public IReadOnlyList<JsonDocument> LintLogs { get; private set; } = [];

    public IReadOnlyList<LintDiagnostic> LintDiagnostics { get; private set; } = [];

    public IReadOnlyList<LintDiagnostic> CanaryDiagnostics { get; private set; } = [];

    /// <summary>Compiled ARM JSON, keyed by the .bicep path relative to infra/ (e.g. "modules/apim.bicep").</summary>
    public IReadOnlyDictionary<string, JsonObject> Compiled { get; private set; } = new Dictionary<string, JsonObject>();

    /// <summary>Compiled ARM JSON as written by the CLI, keyed like <see cref="Compiled"/>.</summary>
    public IReadOnlyDictionary<string, string> CompiledText { get; private set; } = new Dictionary<string, string>();

    /// <summary>Parameter values per environment file (e.g. "main.dev.bicepparam").</summary>
    public IReadOnlyDictionary<string, JsonObject> ParameterValues { get; private set; } = new Dictionary<string, JsonObject>();

    public ArmTemplate Main => new(Compiled["main.bicep"], "main");

    public string BuildDirectory => Path.Combine(_outputDirectory, "build");

    public string ParamsDirectory => Path.Combine(_outputDirectory, "params");

    public async Task InitializeAsync()
    {
        var infra = InfraPaths.InfraDirectory;
        var canaryDirectory = Path.Combine(_outputDirectory, "canary");
        Directory.CreateDirectory(canaryDirectory);
        File.Copy(Path.Combine(infra, "bicepconfig.json"), Path.Combine(canaryDirectory, "bicepconfig.json"));
        // An unused parameter (a linter rule the config raises to error) and an API version the
        // type library does not know (a compiler warning): both must be reported.
        await File.WriteAllTextAsync(
            Path.Combine(canaryDirectory, "canary.bicep"),
            "param unused string\nresource sa 'Microsoft.Storage/storageAccounts@2099-01-01' existing = {\n  name: 'canary'\n}\noutput id string = sa.id\n");

        // --no-restore: registry modules would need the network; there are none, and there must be none.
        var lint = BicepCli.RunAsync(infra, "lint", "--pattern", "**/*.bicep*", "--no-restore", "--diagnostics-format", "sarif");
        var build = BicepCli.RunAsync(infra, "build", "--pattern", "**/*.bicep", "--no-restore", "--outdir", BuildDirectory);
        var buildParams = BicepCli.RunAsync(infra, "build-params", "--pattern", "*.bicepparam", "--no-restore", "--outdir", ParamsDirectory);
        var canary = BicepCli.RunAsync(canaryDirectory, "lint", "canary.bicep", "--no-restore", "--diagnostics-format", "sarif");
        await Task.WhenAll(lint, build, buildParams, canary);

        Lint = await lint;
        Build = await build;
        BuildParams = await buildParams;
        CanaryLint = await canary;

        LintLogs = ParseSarifLogs(Lint.StandardOutput);
        LintDiagnostics = LintLogs.SelectMany(Diagnostics).ToList();
        CanaryDiagnostics = ParseSarifLogs(CanaryLint.StandardOutput).SelectMany(Diagnostics).ToList();

        var compiled = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var compiledText = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var bicep in InfraPaths.BicepFiles(".bicep"))
        {
            var json = Path.Combine(BuildDirectory, Path.ChangeExtension(bicep, ".json"));
            if (File.Exists(json))
            {
                compiledText[bicep] = await File.ReadAllTextAsync(json);
                compiled[bicep] = JsonNode.Parse(compiledText[bicep])!.AsObject();
            }
        }

        Compiled = compiled;
        CompiledText = compiledText;

        var parameters = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var file in InfraPaths.BicepFiles(".bicepparam").Where(f => !f.Contains('/')))
        {
            var json = Path.Combine(ParamsDirectory, Path.ChangeExtension(file, ".json"));
            if (File.Exists(json))
            {
                var document = JsonNode.Parse(await File.ReadAllTextAsync(json))!;
                parameters[file] = document["parameters"]!.AsObject();
            }
        }

        ParameterValues = parameters;
    }

    public Task DisposeAsync()
    {
        foreach (var log in LintLogs)
        {
            log.Dispose();
        }

        try
        {
            Directory.Delete(_outputDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return Task.CompletedTask;
    }

    private static List<JsonDocument> ParseSarifLogs(string text)
    {
        var logs = new List<JsonDocument>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return logs;
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            logs.Add(JsonDocument.ParseValue(ref reader));
        }

        return logs;
    }

    private static IEnumerable<LintDiagnostic> Diagnostics(JsonDocument log)
    {
        foreach (var run in log.RootElement.GetProperty("runs").EnumerateArray())
        {
            foreach (var result in run.GetProperty("results").EnumerateArray())
            {
                var file = result.TryGetProperty("locations", out var locations) && locations.GetArrayLength() > 0
                    ? locations[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString() ?? "?"
                    : "?";
                // SARIF's default level is "warning".
                var level = result.TryGetProperty("level", out var l) ? l.GetString() ?? "warning" : "warning";
                yield return new LintDiagnostic(
                    file,
                    result.TryGetProperty("ruleId", out var rule) ? rule.GetString() ?? "?" : "?",
                    level,
                    result.GetProperty("message").GetProperty("text").GetString() ?? string.Empty);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraFixture>
{
    public const string Name = "infra";
}
