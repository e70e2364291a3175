using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ApartmentManager.Infrastructure.Tests;

/// <summary>A resource in a compiled ARM template, with the (nested) template that declares it.</summary>
public sealed record ArmResource(string Key, string Type, JsonObject Node, ArmTemplate Template)
{
    public JsonObject? Properties => Node["properties"] as JsonObject;

    public override string ToString() => $"{Type} '{Key}' in {Template.Path}";
}

/// <summary>
/// Read-only view over a compiled template: walks nested module deployments and understands both
/// resource layouts Bicep emits (an array, or a symbolic-name map with languageVersion 2.0).
/// </summary>
public sealed partial class ArmTemplate
{
    public ArmTemplate(JsonObject root, string path)
    {
        Root = root;
        Path = path;
    }

    public JsonObject Root { get; }

    /// <summary>Module path, e.g. "main/functions".</summary>
    public string Path { get; }

    public JsonObject Parameters => Root["parameters"] as JsonObject ?? [];

    public JsonObject Variables => Root["variables"] as JsonObject ?? [];

    public JsonObject Outputs => Root["outputs"] as JsonObject ?? [];

    public IEnumerable<ArmResource> Resources
    {
        get
        {
            switch (Root["resources"])
            {
                case JsonObject map:
                    foreach (var (key, value) in map)
                    {
                        if (value is JsonObject resource)
                        {
                            yield return new ArmResource(key, TypeOf(resource), resource, this);
                        }
                    }

                    break;
                case JsonArray list:
                    foreach (var resource in list.OfType<JsonObject>())
                    {
                        yield return new ArmResource(resource["name"]?.ToString() ?? "?", TypeOf(resource), resource, this);
                    }

                    break;
            }
        }
    }

    /// <summary>This template and every module template below it.</summary>
    public IEnumerable<ArmTemplate> SelfAndModules()
    {
        yield return this;
        foreach (var deployment in Resources.Where(r => r.Type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase)))
        {
            if (deployment.Properties?["template"] is JsonObject nested)
            {
                var name = deployment.Node["name"]?.ToString() ?? deployment.Key;
                foreach (var template in new ArmTemplate(nested, $"{Path}/{name}").SelfAndModules())
                {
                    yield return template;
                }
            }
        }
    }

    /// <summary>Every non-deployment resource in this template and its modules, existing references excluded.</summary>
    public IEnumerable<ArmResource> AllResources() =>
        SelfAndModules().SelectMany(t => t.Resources)
            .Where(r => !r.Type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
            .Where(r => r.Node["existing"]?.GetValue<bool>() != true);

    public IEnumerable<ArmResource> AllResourcesOfType(string type) =>
        AllResources().Where(r => r.Type.Equals(type, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Resolves a role definition id expression to the role GUID: a literal GUID, or a variable
    /// (or variable property) that holds one.
    /// </summary>
    public string? ResolveGuid(string? expression)
    {
        if (expression is null)
        {
            return null;
        }

        var literal = GuidPattern().Match(expression);
        if (literal.Success)
        {
            return literal.Value.ToLowerInvariant();
        }

        var variable = VariablePattern().Match(expression);
        if (!variable.Success)
        {
            return null;
        }

        JsonNode? value = Variables[variable.Groups["name"].Value];
        if (variable.Groups["property"].Success)
        {
            value = value?[variable.Groups["property"].Value];
        }

        var text = value?.ToString();
        return text is not null && GuidPattern().IsMatch(text) ? GuidPattern().Match(text).Value.ToLowerInvariant() : null;
    }

    /// <summary>
    /// Smallest value an int-valued property can take: a literal, or a template parameter's
    /// minValue (ARM enforces it when the deployment starts). Null when nothing bounds it.
    /// </summary>
    public long? LowerBound(JsonNode? value)
    {
        if (value is JsonValue v && v.TryGetValue<long>(out var literal))
        {
            return literal;
        }

        var parameter = ParameterPattern().Match(value?.ToString() ?? string.Empty);
        if (parameter.Success && Parameters[parameter.Groups["name"].Value] is JsonObject declaration)
        {
            return declaration["minValue"]?.GetValue<long>();
        }

        return null;
    }

    private static string TypeOf(JsonObject resource) => resource["type"]?.ToString() ?? string.Empty;

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"variables\('(?<name>\w+)'\)(\.(?<property>\w+))?")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^\[parameters\('(?<name>\w+)'\)\]$")]
    private static partial Regex ParameterPattern();
}
