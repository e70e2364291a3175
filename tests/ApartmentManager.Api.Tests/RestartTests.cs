using System.Net;

namespace ApartmentManager.Api.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Requests_and_the_signing_key_survive_a_host_restart()
    {
        var dir = Directory.CreateTempSubdirectory("am-restart-").FullName;
        string id, token;
        await using (var first = await SingleNodeHost.StartAsync(dir))
        {
            token = first.Token("res-restart", "resident");
            using var client = first.Client("res-restart");
            id = await client.CreateIdAsync();
        }

        await using var second = await SingleNodeHost.StartAsync(dir);
        using var again = second.Client();
        again.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var read = await again.GetAsync($"/api/v1/requests/{id}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("res-restart", (await read.ReadAsync())["residentId"]!.GetValue<string>());
        Directory.Delete(dir, recursive: true);
    }
}
