namespace ApartmentManager.Infrastructure.Tests;

/// <summary>Every Bicep file compiles and lints clean: 0 errors, 0 warnings.</summary>
[Collection(InfraCollection.Name)]
public sealed class BicepCompilationTests(InfraFixture infra)
{
    public static TheoryData<string> BicepFiles => [.. InfraPaths.BicepFiles(".bicep")];

    public static TheoryData<string> ParameterFiles => [.. InfraPaths.BicepFiles(".bicepparam").Where(f => !f.Contains('/'))];

    [Fact]
    public void Lint_reports_no_diagnostics_for_any_file()
    {
        Assert.True(infra.Lint.ExitCode == 0, infra.Lint.ToString());
        Assert.True(infra.LintDiagnostics.Count == 0, string.Join('\n', infra.LintDiagnostics));
    }

    [Fact]
    public void Lint_covers_every_bicep_and_bicepparam_file()
    {
        var expected = InfraPaths.BicepFiles(".bicep").Count + InfraPaths.BicepFiles(".bicepparam").Count;

        // The CLI writes one SARIF log per file it lints.
        Assert.Equal(expected, infra.LintLogs.Count);
    }

    [Fact]
    public void Lint_configuration_is_strict_and_warnings_are_seen()
    {
        // The canary file breaks a linter rule and uses an unknown API version; if either went
        // unreported, a clean result above would prove nothing.
        Assert.NotEqual(0, infra.CanaryLint.ExitCode);
        Assert.Contains(infra.CanaryDiagnostics, d => d.RuleId == "no-unused-params" && d.Level == "error");
        Assert.Contains(infra.CanaryDiagnostics, d => d.RuleId == "BCP081");
    }

    [Fact]
    public void Build_succeeds_without_warnings()
    {
        Assert.True(infra.Build.ExitCode == 0, infra.Build.ToString());
        Assert.DoesNotContain("Warning", infra.Build.StandardError + infra.Build.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", infra.Build.StandardError + infra.Build.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Every_bicep_file_compiles_to_an_arm_template(string file)
    {
        Assert.True(infra.Compiled.ContainsKey(file), $"{file} produced no ARM JSON.\n{infra.Build}");
        var schema = infra.Compiled[file]["$schema"]?.ToString() ?? string.Empty;
        Assert.StartsWith("https://schema.management.azure.com/schemas/", schema, StringComparison.Ordinal);
        Assert.EndsWith("eploymentTemplate.json#", schema, StringComparison.Ordinal);
        Assert.NotNull(infra.Compiled[file]["resources"]);
    }

    [Fact]
    public void Build_params_succeeds_without_warnings()
    {
        Assert.True(infra.BuildParams.ExitCode == 0, infra.BuildParams.ToString());
        Assert.DoesNotContain("Warning", infra.BuildParams.StandardError + infra.BuildParams.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void Every_environment_parameter_file_supplies_every_required_parameter(string file)
    {
        Assert.True(infra.ParameterValues.ContainsKey(file), $"{file} produced no parameters JSON.\n{infra.BuildParams}");
        var supplied = infra.ParameterValues[file];
        var required = infra.Main.Parameters
            .Where(p => p.Value?["defaultValue"] is null)
            .Select(p => p.Key);

        Assert.All(required, name => Assert.True(supplied.ContainsKey(name), $"{file} does not set '{name}'."));
    }

    [Fact]
    public void There_is_one_parameter_file_per_environment()
    {
        Assert.Contains("main.dev.bicepparam", infra.ParameterValues.Keys);
        Assert.Contains("main.prod.bicepparam", infra.ParameterValues.Keys);
    }

    [Fact]
    public void Templates_use_no_registry_modules()
    {
        // Registry (br:) and template-spec (ts:) modules would be fetched over the network.
        foreach (var file in InfraPaths.BicepFiles(".bicep").Concat(InfraPaths.BicepFiles(".bicepparam")))
        {
            var text = File.ReadAllText(Path.Combine(InfraPaths.InfraDirectory, file));
            Assert.DoesNotMatch(@"\b(module|using|extends)\s+[^\n]*'(br|ts)[:/]", text);
        }
    }
}
