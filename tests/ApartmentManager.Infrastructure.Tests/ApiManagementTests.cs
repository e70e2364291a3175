using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ApartmentManager.Infrastructure.Tests;

/// <summary>
/// API Management: every operation is covered by an API-level policy with validate-jwt, a
/// per-subject rate limit, CORS, the correlation-id header and the 64 KB body limit; operations
/// have no policy of their own that could drop it.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed partial class ApiManagementTests(InfraFixture infra)
{
    private static readonly string PolicyPath = Path.Combine(InfraPaths.InfraDirectory, "policies", "api.xml");

    [Fact]
    public void Every_api_has_an_api_level_policy_with_validate_jwt_and_rate_limiting()
    {
        var apis = infra.Main.AllResourcesOfType("Microsoft.ApiManagement/service/apis").ToList();
        var policies = infra.Main.AllResourcesOfType("Microsoft.ApiManagement/service/apis/policies").ToList();
        Assert.NotEmpty(apis);

        foreach (var api in apis)
        {
            var apiName = LastNameSegment(api);
            var policy = Assert.Single(policies, p => NameSegments(p).Contains(apiName));
            var value = PolicyText(policy);
            Assert.Contains("<validate-jwt", value, StringComparison.Ordinal);
            Assert.Contains("<rate-limit-by-key", value, StringComparison.Ordinal);
            Assert.Contains("<cors", value, StringComparison.Ordinal);
            Assert.Contains("x-correlation-id", value, StringComparison.Ordinal);
            Assert.Contains("<validate-content", value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void No_operation_level_policy_bypasses_the_api_policy()
    {
        // An operation policy without <base /> would replace the API policy for that operation.
        foreach (var policy in infra.Main.AllResourcesOfType("Microsoft.ApiManagement/service/apis/operations/policies"))
        {
            Assert.Contains("<base />", PolicyText(policy), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Api_is_imported_from_the_apps_openapi_document()
    {
        var api = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.ApiManagement/service/apis"));
        var format = api.Properties?["format"]?.ToString() ?? string.Empty;
        var value = api.Properties?["value"]?.ToString() ?? string.Empty;

        Assert.Contains("openapi+json-link", format, StringComparison.Ordinal);
        Assert.Contains("openApiSpecUrl", value, StringComparison.Ordinal);
        Assert.False(api.Properties?["subscriptionRequired"]?.GetValue<bool>() ?? true, "Callers authenticate with tokens, not subscription keys.");

        // main passes the app's own document: https://<function host><openApiPath>.
        Assert.Equal("/openapi/v1.json", infra.Main.Parameters["openApiPath"]?["defaultValue"]?.ToString());
        var apimModule = Assert.Single(infra.Main.Resources, r => r.Key == "apim");
        // Bicep may fold the conditional into one expression for the whole parameter, so read it as text.
        var specUrl = apimModule.Properties!["parameters"]!["openApiSpecUrl"]!.ToString();
        Assert.Contains("defaultHostName", specUrl, StringComparison.Ordinal);
        Assert.Contains("openApiPath", specUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void Backend_is_the_function_app_over_https()
    {
        var backend = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.ApiManagement/service/backends"));
        Assert.StartsWith("[format('https://{0}'", backend.Properties?["url"]?.ToString(), StringComparison.Ordinal);
        Assert.True(backend.Properties?["tls"]?["validateCertificateChain"]?.GetValue<bool>());

        var apimModule = Assert.Single(infra.Main.Resources, r => r.Key == "apim");
        Assert.Contains("functions", apimModule.Properties!["parameters"]!["functionAppHostName"]!["value"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_placeholder_in_the_policy_file_is_substituted_by_the_template()
    {
        var tokens = PolicyTokens(File.ReadAllText(PolicyPath)).ToList();
        Assert.NotEmpty(tokens);
        var apim = infra.CompiledText["modules/apim.bicep"];

        Assert.All(tokens, token => Assert.Contains($"'token', '{token}'", apim, StringComparison.Ordinal));
    }

    [Fact]
    public void Policy_is_well_formed_and_orders_its_checks()
    {
        var inbound = RenderedPolicy().Root!.Element("inbound")!;
        var names = inbound.Elements().Select(e => e.Name.LocalName).ToList();

        // Preflight is answered before authentication; the rate-limit key needs the validated token.
        Assert.Equal("cors", names[0]);
        var authentication = AuthenticationChoice(inbound);
        var position = inbound.Elements().ToList().IndexOf(authentication);
        Assert.True(names.IndexOf("validate-content") < position);
        Assert.True(position < names.IndexOf("set-backend-service"));
        Assert.Contains("base", names);
        var tokens = authentication.Element("otherwise")!.Elements().Select(e => e.Name.LocalName).ToList();
        Assert.Equal(["validate-jwt", "rate-limit-by-key"], tokens);
    }

    [Fact]
    public void Jwt_validation_requires_entra_id_audience_and_roles()
    {
        var jwt = Assert.Single(RenderedPolicy().Root!.Element("inbound")!.Descendants("validate-jwt"));

        Assert.Equal("Authorization", jwt.Attribute("header-name")?.Value);
        Assert.Equal("Bearer", jwt.Attribute("require-scheme")?.Value);
        Assert.Equal("401", jwt.Attribute("failed-validation-httpcode")?.Value);
        Assert.All(jwt.Elements("openid-config"), c => Assert.StartsWith("https://login.microsoftonline.com/tenant-id/", c.Attribute("url")!.Value, StringComparison.Ordinal));
        Assert.Equal(["api://audience"], jwt.Element("audiences")!.Elements("audience").Select(a => a.Value));
        var roles = Assert.Single(jwt.Element("required-claims")!.Elements("claim"), c => c.Attribute("name")?.Value == "roles");
        Assert.Equal(["Resident", "Manager"], roles.Elements("value").Select(v => v.Value));
        Assert.Equal("jwt", jwt.Attribute("output-token-variable-name")?.Value);
    }

    [Fact]
    public void Rate_limit_is_keyed_on_the_token_subject()
    {
        var limit = AuthenticationChoice(RenderedPolicy().Root!.Element("inbound")!).Element("otherwise")!.Element("rate-limit-by-key")!;

        Assert.Contains("context.Variables[\"jwt\"]", limit.Attribute("counter-key")!.Value, StringComparison.Ordinal);
        Assert.Contains(".Subject", limit.Attribute("counter-key")!.Value, StringComparison.Ordinal);
        Assert.Equal("100", limit.Attribute("calls")?.Value);
        Assert.Equal("60", limit.Attribute("renewal-period")?.Value);
    }

    [Fact]
    public void Request_body_is_limited_to_64_kilobytes()
    {
        var declared = infra.Main.Parameters["maxRequestBodyBytes"]?["defaultValue"]?.GetValue<int>();
        Assert.Equal(64 * 1024, declared);
        foreach (var (file, values) in infra.ParameterValues)
        {
            Assert.True(!values.ContainsKey("maxRequestBodyBytes"), $"{file} overrides the body limit.");
        }

        var validate = RenderedPolicy().Root!.Element("inbound")!.Element("validate-content")!;
        Assert.Equal("65536", validate.Attribute("max-size")?.Value);
        Assert.Equal("prevent", validate.Attribute("size-exceeded-action")?.Value);
    }

    [Fact]
    public void Correlation_id_is_forwarded_and_returned()
    {
        var policy = RenderedPolicy().Root!;
        bool SetsCorrelationHeader(XElement section) =>
            section.Descendants("set-header").Any(h => h.Attribute("name")?.Value == "x-correlation-id");

        Assert.True(SetsCorrelationHeader(policy.Element("inbound")!));
        Assert.True(SetsCorrelationHeader(policy.Element("outbound")!));
        Assert.True(SetsCorrelationHeader(policy.Element("on-error")!));
    }

    [Fact]
    public void Cors_allows_only_configured_origins()
    {
        var cors = RenderedPolicy().Root!.Element("inbound")!.Element("cors")!;
        Assert.Equal(["https://app.example"], cors.Element("allowed-origins")!.Elements("origin").Select(o => o.Value));
        Assert.Equal("false", cors.Attribute("allow-credentials")?.Value);
        Assert.Contains("x-correlation-id", cors.Element("allowed-headers")!.Elements("header").Select(h => h.Value));
    }

    [Fact]
    public void Only_the_signed_hooks_skip_token_validation_and_they_stay_rate_limited()
    {
        var choice = AuthenticationChoice(RenderedPolicy().Root!.Element("inbound")!);
        var when = Assert.Single(choice.Elements("when"));

        // Decided on the matched operation's template, for exactly the /api/v1/hooks/ prefix.
        var condition = when.Attribute("condition")!.Value;
        Assert.Contains("context.Operation.UrlTemplate.StartsWith(\"/api/v1/hooks/\"", condition, StringComparison.Ordinal);
        Assert.Empty(when.Descendants("validate-jwt"));
        var limit = Assert.Single(when.Elements("rate-limit-by-key"));
        Assert.Contains("context.Request.IpAddress", limit.Attribute("counter-key")!.Value, StringComparison.Ordinal);
        Assert.Equal("100", limit.Attribute("calls")?.Value);

        // Every operation of the imported document outside that prefix gets the token check; the hooks are the
        // HMAC-signed routes (the app's own check), and they are POSTs only.
        var document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(InfraPaths.InfraDirectory, "openapi", "apartment-manager.openapi.json")))!;
        var hooks = document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/v1/hooks/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(hooks);
        Assert.All(hooks, h => Assert.Equal(["post"], h.Value!.AsObject().Select(o => o.Key)));
        Assert.Single(choice.Element("otherwise")!.Elements("validate-jwt"));
    }

    /// <summary>The inbound &lt;choose&gt; that decides between the signed-hook path and token validation.</summary>
    private static XElement AuthenticationChoice(XElement inbound) =>
        Assert.Single(inbound.Elements("choose"), c => c.Descendants("validate-jwt").Any());

    /// <summary>The policy file with its placeholders filled the way modules/apim.bicep fills them.</summary>
    private static XDocument RenderedPolicy()
    {
        var xml = File.ReadAllText(PolicyPath)
            .Replace("__ALLOWED_ORIGINS__", "<origin>https://app.example</origin>", StringComparison.Ordinal)
            .Replace("__AUDIENCES__", "<audience>api://audience</audience>", StringComparison.Ordinal)
            .Replace("__ROLES__", "<value>Resident</value><value>Manager</value>", StringComparison.Ordinal)
            .Replace("__OPENID_CONFIG_V2__", "https://login.microsoftonline.com/tenant-id/v2.0/.well-known/openid-configuration", StringComparison.Ordinal)
            .Replace("__OPENID_CONFIG_V1__", "https://login.microsoftonline.com/tenant-id/.well-known/openid-configuration", StringComparison.Ordinal)
            .Replace("__RATE_LIMIT_CALLS__", "100", StringComparison.Ordinal)
            .Replace("__RATE_LIMIT_PERIOD__", "60", StringComparison.Ordinal)
            .Replace("__MAX_BODY_BYTES__", "65536", StringComparison.Ordinal)
            .Replace("__BACKEND_ID__", "function-app", StringComparison.Ordinal);
        Assert.Empty(PolicyTokens(xml));
        return XDocument.Parse(xml);
    }

    private static IEnumerable<string> PolicyTokens(string text) =>
        TokenPattern().Matches(text).Select(m => m.Value).Distinct();

    /// <summary>
    /// The policy text as compiled: a literal, or the variable it is computed into together with the
    /// variables that expression reads (loadTextContent() lands in a '$fxv#n' variable).
    /// </summary>
    private static string PolicyText(ArmResource policy)
    {
        var value = policy.Properties?["value"]?.ToString() ?? string.Empty;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>([value]);
        var text = new System.Text.StringBuilder();
        while (pending.TryDequeue(out var expression))
        {
            text.AppendLine(expression);
            foreach (Match reference in Regex.Matches(expression, @"variables\('([^']+)'\)"))
            {
                var name = reference.Groups[1].Value;
                if (seen.Add(name) && policy.Template.Variables[name] is { } variable)
                {
                    pending.Enqueue(variable.ToString());
                }
            }
        }

        return text.ToString();
    }

    private static string LastNameSegment(ArmResource resource) => NameSegments(resource)[^1];

    /// <summary>Literal segments of a child resource name, e.g. "[format('{0}/{1}', parameters('name'), 'api')]" → ["api"].</summary>
    private static List<string> NameSegments(ArmResource resource) =>
        Regex.Matches(resource.Node["name"]?.ToString() ?? string.Empty, @"'([A-Za-z0-9._-]+)'")
            .Select(m => m.Groups[1].Value)
            .Where(s => !s.StartsWith('{'))
            .ToList();

    [GeneratedRegex("__[A-Z0-9_]+__")]
    private static partial Regex TokenPattern();
}
