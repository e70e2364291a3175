using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ApartmentManager.Api.Tests;

/// <summary>
/// Fuzzes every route of the OpenAPI document: malformed and deeply nested JSON, huge, control and unicode strings,
/// wrong types, one field of a valid body made hostile at a time, bad headers, tokens, paths and queries. No answer may
/// be a 5xx, and no connection may drop. Seeded, so a failure replays; bounded by a case budget (and a time budget
/// that only stops it early on a slow machine, never fails it).
/// </summary>
public sealed class ApiFuzzTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const int Seed = 20261130;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(45);

    private static readonly string[] HostileStrings =
    [
        "", " ", "\u0000", "\u0007\u001b[31m", new string('a', 70_000), new string('é', 5_000), "\uD800", "\uFFFF\uFFFE",
        "ign\u200Bore previous instructions", "\u202Eevil", "𝕳𝖊𝖑𝖑𝖔 👩‍👩‍👧‍👦", "../../etc/passwd", "%00%2e%2e%2f", "' OR 1=1 --",
        "<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}", "null", "NaN", "-1", "1e309", "0x7fffffff", "\r\nX-Injected: 1",
    ];

    private static readonly JsonNode?[] HostileValues =
    [
        null, 0, -1, int.MaxValue, long.MinValue, 1e308, -0.0, true, false, JsonNode.Parse("[]"), JsonNode.Parse("{}"),
        JsonNode.Parse("[1,\"a\",null,{}]"), JsonNode.Parse("{\"$ref\":\"#\"}"), JsonNode.Parse("99999999999999999999999999999"),
    ];

    [Fact]
    public async Task No_route_answers_5xx_or_drops_the_connection_whatever_it_is_sent()
    {
        var host = fixture.Host;
        using var anonymous = host.Client();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        using var resident = host.Client("res-fuzz");
        using var admin = host.Admin();
        var requestId = await resident.CreateIdAsync();
        var random = new Random(Seed);
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        var sent = 0;

        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => (Path: p.Key, Method: m.Key.ToUpperInvariant(), Operation: m.Value!)))
            .Where(o => o.Method is "GET" or "POST" or "PUT" or "DELETE" or "PATCH")
            .ToList();
        Assert.True(operations.Count >= 20, $"only {operations.Count} operations in the document");

        foreach (var (path, method, operation) in operations)
        {
            foreach (var (client, url, content, headers) in Cases(path, method, operation, document, requestId, random, anonymous, resident, admin, host))
            {
                if (clock.Elapsed > Budget)
                {
                    break;
                }
                sent++;
                using var message = new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
                foreach (var (name, value) in headers)
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }
                try
                {
                    using var response = await client.SendAsync(message);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{method} {url} → {(int)response.StatusCode}: {Truncate(await response.Content.ReadAsStringAsync())}");
                    }
                    else if (!response.IsSuccessStatusCode && response.Content.Headers.ContentLength != 0
                        && response.Content.Headers.ContentType?.MediaType is { } type && type != "application/problem+json")
                    {
                        failures.Add($"{method} {url} → {(int)response.StatusCode} as {type}, not problem+json");
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Add($"{method} {url} → connection: {e.Message}");
                }
            }
        }
        Assert.True(sent >= operations.Count * 10, $"only {sent} cases ran");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} cases failed:\n" + string.Join("\n", failures.Take(40)));
    }

    private static IEnumerable<(HttpClient Client, string Url, HttpContent? Content, (string, string)[] Headers)> Cases(
        string path, string method, JsonNode operation, JsonNode document, string requestId, Random random,
        HttpClient anonymous, HttpClient resident, HttpClient admin, SingleNodeHost host)
    {
        var url = FillPath(path, requestId);
        var valid = ValidBody(operation, document, requestId);
        HttpClient[] callers = [resident, admin];

        // The valid shape, as each kind of caller.
        foreach (var client in callers.Append(anonymous))
        {
            yield return (client, url, Body(valid?.ToJsonString()), []);
        }
        // Hostile path segments and query strings.
        foreach (var hostile in new[] { "..%2F..%2Fadmin", "%00", new string('x', 3000), "%E2%80%AE", "req_%27%20OR%201%3D1", "%F0%9F%92%A9", "%ZZ" })
        {
            yield return (Pick(callers, random), FillPath(path, hostile), Body(valid?.ToJsonString()), []);
        }
        foreach (var query in new[] { "?limit=-1", "?limit=99999999999", "?status=nope&status=%00", "?continuationToken=%7B%22x%22", "?continuationToken=" + new string('A', 5000), "?a[b][c]=1", "?%=%" })
        {
            yield return (admin, url + query, null, []);
        }
        // Malformed and deeply nested JSON, wrong content types.
        string[] malformed = ["{", "[", "{\"a\":}", "\"just a string\"", "123", "true", "{\"a\":1,\"a\":2}", "\u00ff\u00fe",
            new string('[', 5000) + new string(']', 5000), string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000),
            "{\"x\":\"" + new string('b', 60_000) + "\"}"];
        foreach (var body in malformed)
        {
            yield return (Pick(callers, random), url, Body(body), []);
        }
        yield return (resident, url, new StringContent("<xml/>", Encoding.UTF8, "application/xml"), []);
        yield return (admin, url, new ByteArrayContent(Enumerable.Range(0, 2048).Select(i => (byte)random.Next(256)).ToArray()), []);
        // One field of a valid body made hostile at a time.
        if (valid is JsonObject fields)
        {
            foreach (var name in fields.Select(f => f.Key).ToList())
            {
                foreach (var value in HostileStrings.Select(s => (JsonNode?)JsonValue.Create(s)).Concat(HostileValues))
                {
                    var copy = fields.DeepClone().AsObject();
                    copy[name] = value?.DeepClone();
                    yield return (Pick(callers, random), url, Body(copy.ToJsonString()), []);
                }
            }
        }
        // Bad headers and tokens.
        (string, string)[][] headerCases =
        [
            [("If-Match", "\"" + new string('e', 2000) + "\"")],
            [("If-Match", "*, W/\"x\", garbage")],
            [("Idempotency-Key", new string('k', 5000))],
            [("X-Correlation-Id", new string('c', 5000))],
            [("Accept", "application/xml;q=2")],
            [("Content-Encoding", "gzip")],
        ];
        foreach (var headers in headerCases)
        {
            yield return (Pick(callers, random), url, Body(valid?.ToJsonString()), headers);
        }
        foreach (var token in new[] { "Bearer", "Bearer " + new string('A', 9000), "Bearer a.b.c", "Basic dXNlcjpwYXNz", "Bearer " + host.Token("res-fuzz", "admin") + "x",
            "Bearer " + host.Token(new string('s', 3000), "resident"), "Bearer " + host.Token("res-fuzz", "resident")[..^4] })
        {
            yield return (anonymous, url, Body(valid?.ToJsonString()), [("Authorization", token)]);
        }
    }

    private static HttpClient Pick(HttpClient[] clients, Random random) => clients[random.Next(clients.Length)];

    private static StringContent? Body(string? json) => json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");

    private static string FillPath(string template, string value)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }
            sb.Append(template, i, open - i);
            var close = template.IndexOf('}', open);
            sb.Append(value.Contains('%', StringComparison.Ordinal) ? value : Uri.EscapeDataString(value));
            i = close + 1;
        }
        return sb.ToString();
    }

    /// <summary>A body that satisfies the operation's schema in shape (names and types), with plausible values.</summary>
    private static JsonNode? ValidBody(JsonNode operation, JsonNode document, string requestId)
    {
        var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        return schema is null ? null : Example(Resolve(schema, document), document, requestId, 0);
    }

    private static JsonNode Resolve(JsonNode schema, JsonNode document)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var node = document;
            foreach (var part in reference.TrimStart('#', '/').Split('/'))
            {
                node = node[part]!;
            }
            schema = node;
        }
        return schema;
    }

    private static JsonNode? Example(JsonNode schema, JsonNode document, string requestId, int depth)
    {
        if (depth > 4)
        {
            return null;
        }
        var type = schema["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "null",
            JsonValue one => one.GetValue<string>(),
            _ => schema["properties"] is not null ? "object" : "string",
        };
        switch (type)
        {
            case "object":
                var obj = new JsonObject();
                foreach (var (name, property) in schema["properties"]?.AsObject() ?? new JsonObject())
                {
                    obj[name] = name == "requestId" ? requestId : Example(Resolve(property!, document), document, requestId, depth + 1);
                }
                return obj;
            case "array":
                var item = schema["items"] is { } items ? Example(Resolve(items, document), document, requestId, depth + 1) : null;
                return new JsonArray(item);
            case "integer":
                return 1;
            case "number":
                return 1.5;
            case "boolean":
                return true;
            default:
                return schema["enum"]?.AsArray().FirstOrDefault()?.DeepClone() ?? "The kitchen sink is leaking";
        }
    }

    private static string Truncate(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
