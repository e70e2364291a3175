using System.Text.Json;
using System.Text.Json.Nodes;

namespace ApartmentManager.Api.Tests;

/// <summary>
/// API Management imports the API from infra/openapi/apartment-manager.openapi.json. That file must be exactly what
/// the shared endpoints describe, so this test compares the two (run with UPDATE_OPENAPI_DOCUMENT=1 to rewrite it).
/// </summary>
public sealed class GatewayOpenApiDocumentTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string RelativePath = "infra/openapi/apartment-manager.openapi.json";

    [Fact]
    public async Task The_committed_gateway_document_matches_the_api()
    {
        using var client = fixture.Host.Client();
        var served = JsonNode.Parse(await client.GetStringAsync("/openapi/apim.json"))!.AsObject();
        served.Remove("servers"); // the test host's random port; APIM uses the backend URL instead
        var text = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var path = Path.Combine(RepositoryRoot(), RelativePath);

        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI_DOCUMENT") == "1")
        {
            await File.WriteAllTextAsync(path, text);
        }

        Assert.True(File.Exists(path), $"{RelativePath} is missing; run the tests once with UPDATE_OPENAPI_DOCUMENT=1.");
        Assert.Equal(text, (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n"));
        Assert.StartsWith("3.0", served["openapi"]!.GetValue<string>());
        Assert.NotNull(served["paths"]!["/api/v1/requests"]);
        Assert.Null(served["paths"]!["/api/v1/intake"]); // single-node only
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Functions.sln not found above the test output.");
    }
}
