using ApartmentManager.Application.Events;
using ApartmentManager.Execution.Webhooks.Subscriptions;
using ApartmentManager.Functions.Http;
using ApartmentManager.Functions.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static ApartmentManager.Functions.Tests.FunctionsTestHost;

namespace ApartmentManager.Functions.Tests;

/// <summary>Webhook subscriptions, audit and privacy through the Functions triggers over the app's real composition.</summary>
public sealed class PlatformTriggerTests : IDisposable
{
    private readonly FunctionsTestHost host = new();

    private Task<string> CreateRequestAsync(string resident) => CreateRequestAsync(host, resident);

    private static async Task<string> CreateRequestAsync(FunctionsTestHost on, string resident)
    {
        var (functions, scope) = on.Create<RequestFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "POST", "/api/v1/requests",
            new { building = "maple-court", unit = "4B", message = "The front door lock is broken" }, Resident(resident));
        return (await ExecuteAsync(await functions.Create(http.Request, on.Client.Object, CancellationToken.None), http))!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task An_admin_subscribes_the_secret_is_shown_once_and_the_change_is_audited()
    {
        var (functions, scope) = host.Create<PlatformFunctions>();
        using var _ = scope;
        var create = NewHttp(scope.ServiceProvider, "POST", "/api/v1/admin/webhooks",
            new { url = "https://erp.example.com/hooks", events = new[] { "request.decided" } }, Admin(),
            new Dictionary<string, string> { ["x-correlation-id"] = "corr-fn-1" });
        var created = await ExecuteAsync(await functions.CreateWebhook(create.Request, CancellationToken.None), create);
        Assert.Equal(201, create.Response.StatusCode);
        Assert.StartsWith("whsec_", created!["secret"]!.GetValue<string>());
        var id = created["id"]!.GetValue<string>();

        var get = NewHttp(scope.ServiceProvider, "GET", $"/api/v1/admin/webhooks/{id}", user: Admin());
        var read = await ExecuteAsync(await functions.GetWebhook(get.Request, id, CancellationToken.None), get);
        Assert.Null(read!["secret"]);

        var audit = NewHttp(scope.ServiceProvider, "GET", "/api/v1/admin/audit", user: Admin());
        audit.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?action=webhook.created");
        var entries = await ExecuteAsync(await functions.Audit(audit.Request, CancellationToken.None), audit);
        var entry = Assert.Single(entries!["items"]!.AsArray())!;
        Assert.Equal(id, entry["targetId"]!.GetValue<string>());
        Assert.Equal("corr-fn-1", entry["correlationId"]!.GetValue<string>());

        var forbidden = NewHttp(scope.ServiceProvider, "POST", "/api/v1/admin/webhooks",
            new { url = "https://erp.example.com/hooks", events = new[] { "*" } }, Resident("res-1"));
        await ExecuteAsync(await functions.CreateWebhook(forbidden.Request, CancellationToken.None), forbidden);
        Assert.Equal(403, forbidden.Response.StatusCode);
    }

    [Fact]
    public async Task A_resident_exports_their_data_and_an_admin_erases_it_once()
    {
        var requestId = await CreateRequestAsync("res-erase");
        var (functions, scope) = host.Create<PlatformFunctions>();
        using var _ = scope;

        var export = NewHttp(scope.ServiceProvider, "GET", "/api/v1/residents/res-erase/export", user: Resident("res-erase"));
        var exported = await ExecuteAsync(await functions.Export(export.Request, "res-erase", CancellationToken.None), export);
        Assert.Equal(requestId, exported!["requests"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("request.created", exported["events"]![0]!["type"]!.GetValue<string>());

        var erase = NewHttp(scope.ServiceProvider, "DELETE", "/api/v1/residents/res-erase", user: Admin());
        var erased = await ExecuteAsync(await functions.Erase(erase.Request, "res-erase", CancellationToken.None), erase);
        Assert.Equal(1, erased!["requestsCancelled"]!.GetValue<int>());
        var stored = await host.Store.GetAsync(requestId);
        Assert.Equal(erased["pseudonym"]!.GetValue<string>(), stored!.Value.ResidentId);
        Assert.Equal("[erased]", stored.Value.Message);

        var again = NewHttp(scope.ServiceProvider, "DELETE", "/api/v1/residents/res-erase", user: Admin());
        Assert.True((await ExecuteAsync(await functions.Erase(again.Request, "res-erase", CancellationToken.None), again))!["nothingHeld"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_timer_triggered_outbox_dispatcher_delivers_new_events_once_and_no_background_loop_runs()
    {
        // The Functions app has no worker-hosted dispatcher: the timer trigger is the only one.
        var composition = new ServiceCollection();
        composition.AddApartmentManagerFunctions(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        Assert.Contains(composition, d => d.ServiceType == typeof(WebhookDispatcher));
        Assert.DoesNotContain(composition, d => d.ImplementationType == typeof(WebhookDispatchService));
        var trigger = typeof(OutboxDispatchFunction).GetMethod(nameof(OutboxDispatchFunction.RunAsync))!.GetParameters()[0]
            .GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.TimerTriggerAttribute), false).Cast<Microsoft.Azure.Functions.Worker.TimerTriggerAttribute>().Single();
        Assert.Equal(OutboxDispatchFunction.Schedule, trigger.Schedule);

        // A subscriber on 127.0.0.1.
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string Type, string Body)>();
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/hook", async (Microsoft.AspNetCore.Http.HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            received.Enqueue((request.Headers["X-Event-Type"].ToString(), await reader.ReadToEndAsync()));
            return Microsoft.AspNetCore.Http.Results.NoContent();
        });
        await receiver.StartAsync();
        var url = receiver.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First() + "/hook";

        var (platform, scope) = host.Create<PlatformFunctions>();
        using (scope)
        {
            var create = NewHttp(scope.ServiceProvider, "POST", "/api/v1/admin/webhooks", new { url, events = new[] { "request.created" } }, Admin());
            await ExecuteAsync(await platform.CreateWebhook(create.Request, CancellationToken.None), create);
            Assert.Equal(201, create.Response.StatusCode);
        }
        var requestId = await CreateRequestAsync("res-outbox");

        var (dispatch, dispatchScope) = host.Create<OutboxDispatchFunction>();
        using (dispatchScope)
        {
            Assert.Equal(1, await dispatch.DrainAsync(pastDue: false, CancellationToken.None));
            var (type, body) = Assert.Single(received);
            Assert.Equal("request.created", type);
            Assert.Contains(requestId, body, StringComparison.Ordinal);
            // The next run finds nothing new: each event is delivered once.
            Assert.Equal(0, await dispatch.DrainAsync(pastDue: false, CancellationToken.None));
            Assert.Single(received);
        }
    }

    [Fact]
    public async Task New_events_go_to_the_topic_before_they_count_as_dispatched_and_again_after_a_failed_publish()
    {
        var topic = new RecordingPublisher { FailNext = true };
        using var withTopic = new FunctionsTestHost(s => s.AddSingleton<IDomainEventPublisher>(topic));
        var requestId = await CreateRequestAsync(withTopic, "res-topic");
        var (dispatch, scope) = withTopic.Create<OutboxDispatchFunction>();
        using var _ = scope;

        // The topic is down: the pass fails and nothing counts as dispatched ...
        await Assert.ThrowsAsync<InvalidOperationException>(() => dispatch.DrainAsync(pastDue: false, CancellationToken.None));
        Assert.Empty(topic.Published);
        // ... so the next run publishes the same event (same id), once.
        await dispatch.DrainAsync(pastDue: false, CancellationToken.None);
        await dispatch.DrainAsync(pastDue: false, CancellationToken.None);
        var published = Assert.Single(topic.Published);
        Assert.Equal("request.created", published.Type);
        Assert.Equal($"{requestId}.0", published.Id);
    }

    private sealed class RecordingPublisher : IDomainEventPublisher
    {
        public bool FailNext { get; set; }

        public System.Collections.Concurrent.ConcurrentQueue<DomainEvent> Published { get; } = new();

        public string Name => "recording";

        public Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("the topic is unreachable");
            }
            foreach (var e in events)
            {
                Published.Enqueue(e);
            }
            return Task.CompletedTask;
        }
    }

    public void Dispose() => host.Dispose();
}
