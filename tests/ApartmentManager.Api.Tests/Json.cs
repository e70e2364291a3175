using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ApartmentManager.Api.Tests;

internal static class Json
{
    public static StringContent Body(object value) =>
        new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    public static async Task<JsonNode> ReadAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static Task<HttpResponseMessage> CreateAsync(this HttpClient client, string message = "The kitchen sink is leaking under the cabinet",
        string building = "maple-court", string unit = "4B", string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/requests")
        {
            Content = Body(new { building, unit, message }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request);
    }

    public static async Task<string> CreateIdAsync(this HttpClient client, string building = "maple-court")
    {
        var response = await client.CreateAsync(building: building);
        response.EnsureSuccessStatusCode();
        return (await response.ReadAsync())["id"]!.GetValue<string>();
    }

    /// <summary>Asserts the response is problem+json with the given status and returns its body.</summary>
    public static async Task<JsonNode> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadAsync();
        Assert.Equal(status, body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(body["detail"]?.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(body["title"]?.GetValue<string>()));
        Assert.StartsWith("https://", body["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(body["correlationId"]?.GetValue<string>()));
        return body;
    }

    /// <summary>Polls the request until its status is one of <paramref name="statuses"/> (60 s at most).</summary>
    internal static async Task<JsonNode> WaitForStatusAsync(HttpClient client, string id, string[] statuses)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        JsonNode? last = null;
        while (!timeout.IsCancellationRequested)
        {
            last = await (await client.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
            if (statuses.Contains(last["status"]!.GetValue<string>()))
            {
                return last;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Request {id} stayed '{last?["status"]}' instead of reaching {string.Join("/", statuses)}.");
    }
}
