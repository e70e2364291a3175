using System.Net;

namespace ApartmentManager.Api.Tests;

public sealed class IdempotencyAndPagingTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private SingleNodeHost Host => fixture.Host;

    [Fact]
    public async Task Same_key_and_body_return_the_same_request_and_a_different_body_is_409()
    {
        using var resident = Host.Client("res-idem");
        var key = Guid.NewGuid().ToString();

        var first = await resident.CreateAsync(idempotencyKey: key);
        var again = await resident.CreateAsync(idempotencyKey: key);
        var different = await resident.CreateAsync(message: "Something else entirely", idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await first.ReadAsync())["id"]!.GetValue<string>(), (await again.ReadAsync())["id"]!.GetValue<string>());
        await different.AssertProblemAsync(409);
    }

    [Fact]
    public async Task The_same_key_from_two_residents_makes_two_requests()
    {
        using var a = Host.Client("res-key-a");
        using var b = Host.Client("res-key-b");
        var key = Guid.NewGuid().ToString();

        var fromA = await (await a.CreateAsync(idempotencyKey: key)).ReadAsync();
        var fromB = await (await b.CreateAsync(idempotencyKey: key)).ReadAsync();

        Assert.NotEqual(fromA["id"]!.GetValue<string>(), fromB["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Eight_concurrent_identical_posts_make_exactly_one_request()
    {
        var resident = "res-race-" + Guid.NewGuid().ToString("N")[..6];
        using var client = Host.Client(resident);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.CreateAsync(idempotencyKey: key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.ReadAsync())["id"]!.GetValue<string>()));
        Assert.Single(ids.Distinct());
        var mine = await (await client.GetAsync($"/api/v1/residents/{resident}/requests")).ReadAsync();
        Assert.Single(mine["items"]!.AsArray());
    }

    [Fact]
    public async Task Paging_returns_every_item_exactly_once_while_new_items_are_added()
    {
        var resident = "res-pages-" + Guid.NewGuid().ToString("N")[..6];
        using var client = Host.Client(resident);
        var building = "bldg-" + Guid.NewGuid().ToString("N")[..6];
        var existing = new List<string>();
        for (var i = 0; i < 17; i++)
        {
            existing.Add(await client.CreateIdAsync(building));
        }

        using var admin = Host.Admin();
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = $"/api/v1/requests?building={building}&limit=4" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await admin.GetAsync(url)).ReadAsync();
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            token = page["continuationToken"]?.GetValue<string>();
            await client.CreateIdAsync(building); // new arrivals while the admin pages
            pages++;
        }
        while (token is not null);

        Assert.Equal(5, pages);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(existing.Except(seen));

        // The resident route pages the same way.
        var residentSeen = new List<string>();
        token = null;
        do
        {
            var url = $"/api/v1/residents/{resident}/requests?limit=7" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await client.GetAsync(url)).ReadAsync();
            residentSeen.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);
        Assert.Equal(17 + 5, residentSeen.Distinct().Count());
    }
}
