using System.Net;

namespace ApartmentManager.Api.Tests;

/// <summary>The embedded intake queue end to end: a channel posts, the consumer creates the request; poison is dead-lettered and re-drivable.</summary>
public sealed class QueueEndpointTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private SingleNodeHost Host => fixture.Host;

    [Fact]
    public async Task An_intake_message_becomes_a_request_once_even_if_posted_twice()
    {
        using var admin = Host.Admin();
        var resident = "res-sms-" + Guid.NewGuid().ToString("N")[..6];
        var messageId = "sms-" + Guid.NewGuid().ToString("N");

        for (var i = 0; i < 2; i++)
        {
            var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/intake")
            {
                Content = Json.Body(new { residentId = resident, building = "maple-court", unit = "2C", message = "No hot water since this morning", channel = "sms" }),
            };
            post.Headers.Add("Idempotency-Key", messageId);
            var accepted = await admin.SendAsync(post);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            Assert.Equal(i == 1, (await accepted.ReadAsync())["duplicate"]!.GetValue<bool>());
        }

        using var owner = Host.Client(resident);
        var items = await EventuallyAsync(async () =>
        {
            var list = (await (await owner.GetAsync($"/api/v1/residents/{resident}/requests")).ReadAsync())["items"]!.AsArray();
            return list.Count > 0 ? list : null;
        });
        Assert.Single(items);
        Assert.Equal("sms", items[0]!["channel"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_poison_message_is_dead_lettered_visible_and_redrivable()
    {
        using var admin = Host.Admin();
        var messageId = "bad-" + Guid.NewGuid().ToString("N");
        var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/intake")
        {
            Content = Json.Body(new { building = "maple-court", unit = "2C", message = "no resident id" }),
        };
        post.Headers.Add("Idempotency-Key", messageId);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.SendAsync(post)).StatusCode);

        // Five attempts with back-off 1, 2, 4, 8 s would be slow; the host under test retries until dead-lettered.
        var dead = await EventuallyAsync(async () =>
        {
            var letters = (await (await admin.GetAsync("/api/v1/admin/queues/requests-intake/dead-letters")).ReadAsync()).AsArray();
            return letters.FirstOrDefault(l => l!["messageId"]!.GetValue<string>() == messageId);
        }, TimeSpan.FromSeconds(60));
        Assert.Contains("residentId is required", dead!["lastError"]!.GetValue<string>());

        var depths = (await (await admin.GetAsync("/api/v1/admin/queues")).ReadAsync()).AsArray();
        Assert.True(depths.Single(d => d!["queue"]!.GetValue<string>() == "requests-intake")!["deadLettered"]!.GetValue<int>() >= 1);

        var redrive = await (await admin.PostAsync("/api/v1/admin/queues/requests-intake/dead-letters/redrive", Json.Body(new { messageId }))).ReadAsync();
        Assert.Equal(1, redrive["redriven"]!.GetValue<int>());

        using var resident = Host.Client("res-q");
        await (await resident.GetAsync("/api/v1/admin/queues")).AssertProblemAsync(403);
        await (await admin.GetAsync("/api/v1/admin/queues/nope/dead-letters")).AssertProblemAsync(404);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan? within = null) where T : class
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(100, timeout.Token);
        }
    }
}
