using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Webhooks;
using ApartmentManager.Domain;

namespace ApartmentManager.Storage.Tests;

/// <summary>
/// What every adapter's event log (outbox), webhook store, audit log and erasure must do; run unchanged against SQLite
/// and against Cosmos DB on the local Cosmos-protocol server.
/// </summary>
public abstract class PlatformStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    protected abstract IRequestStore Requests { get; }
    protected abstract IWebhookStore Webhooks { get; }
    protected abstract IEventLog Events { get; }
    protected abstract IAuditLog Audit { get; }
    protected abstract IPersonalDataHolder Eraser { get; }

    private readonly string _resident = "res-" + Guid.NewGuid().ToString("N")[..10];

    private ResidentRequest NewRequest() =>
        ResidentRequest.Create("req_" + Guid.CreateVersion7().ToString("N"), _resident, "bldg-events", "7C", Channel.Web,
            "My name is Ana and the heater in 7C is broken", T0, _resident);

    private static Classification Plumbing => new(Category.Plumbing, Urgency.High, 0.9, [], ["heater"], "rules", "test");

    private async Task FanOutAllAsync()
    {
        while (await Webhooks.FanOutAsync(500, T0, null) > 0)
        {
        }
    }

    private async Task<WebhookSubscription> SubscribeAsync(params string[] events)
    {
        var s = new WebhookSubscription("whk_" + Guid.NewGuid().ToString("N"), new Uri("http://127.0.0.1:9/hook"), events, "whsec_test", T0, "admin:t");
        await Webhooks.CreateAsync(s);
        return s;
    }

    /// <summary>Due deliveries of one subscription about one request (other tests share the Cosmos server's feed).</summary>
    private async Task<List<DueDelivery>> DueForAsync(string subscriptionId, string requestId) =>
        [.. (await Webhooks.DueAsync(T0.AddDays(1), 100_000))
            .Where(d => d.Delivery.SubscriptionId == subscriptionId && d.Delivery.EventId.StartsWith(requestId + ".", StringComparison.Ordinal))];

    [Fact]
    public async Task Each_committed_history_entry_is_one_event_with_a_stable_id_fanned_out_once()
    {
        var all = await SubscribeAsync("request.*");
        var decidedOnly = await SubscribeAsync("request.classified");
        var created = await Requests.CreateAsync(NewRequest());
        var classified = await Requests.ReplaceAsync(created.Value.WithClassification(Plumbing, T0.AddMinutes(1)), created.ETag);
        // A write that loses the ETag race commits nothing, so it records no event either.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Requests.ReplaceAsync(created.Value.TransitionTo(RequestStatus.Escalated, "admin:x", T0.AddMinutes(2)), created.ETag));

        await FanOutAllAsync();
        await FanOutAllAsync();

        var events = await Events.ForResidentAsync(_resident);
        Assert.Equal(["request.created", "request.classified"], events.Select(e => e.Type));
        Assert.Equal([$"{created.Value.Id}.0", $"{created.Value.Id}.1"], events.Select(e => e.Id));
        Assert.Equal(RequestStatus.Classified, events[1].Status);
        Assert.Equal(RequestStatus.Received, events[1].PreviousStatus);
        var deliveries = await DueForAsync(all.Id, created.Value.Id);
        Assert.Equal([$"{created.Value.Id}.0", $"{created.Value.Id}.1"], deliveries.Select(d => d.Delivery.EventId).Order());
        Assert.Single(await DueForAsync(decidedOnly.Id, created.Value.Id));
        Assert.Contains("\"type\":\"request.classified\"", deliveries.Single(d => d.Delivery.EventType == "request.classified").Payload, StringComparison.Ordinal);

        // A later change adds only its own event.
        await Requests.ReplaceAsync(classified.Value.TransitionTo(RequestStatus.Escalated, "admin:x", T0.AddMinutes(3), "by hand"), classified.ETag);
        await FanOutAllAsync();
        Assert.Equal(["request.created", "request.classified", "request.escalated"], (await Events.ForResidentAsync(_resident)).Select(e => e.Type));
        Assert.Equal(3, (await DueForAsync(all.Id, created.Value.Id)).Count);
    }

    [Fact]
    public async Task Attempts_retry_then_dead_letter_and_an_admin_redelivers()
    {
        var s = await SubscribeAsync("request.created");
        var created = await Requests.CreateAsync(NewRequest());
        await FanOutAllAsync();
        var due = Assert.Single(await DueForAsync(s.Id, created.Value.Id));

        await Webhooks.RecordAttemptAsync(due.Delivery.Id, new DeliveryAttempt(false, 500, "500 Internal", T0, T0.AddSeconds(5)));
        var retrying = Assert.Single((await Webhooks.DeliveriesAsync(s.Id, DeliveryStatus.Pending, 100, null)).Items, d => d.Id == due.Delivery.Id);
        Assert.Equal(1, retrying.Attempts);
        Assert.Equal(T0.AddSeconds(5), retrying.NextAttemptAt);
        Assert.Equal(500, retrying.LastStatusCode);
        await Webhooks.RecordAttemptAsync(due.Delivery.Id, new DeliveryAttempt(false, null, "refused", T0.AddSeconds(6), null));
        var dead = Assert.Single((await Webhooks.DeliveriesAsync(s.Id, DeliveryStatus.DeadLettered, 100, null)).Items);
        Assert.Equal(2, dead.Attempts);
        Assert.Empty(await DueForAsync(s.Id, created.Value.Id));

        var again = await Webhooks.RedeliverAsync(s.Id, dead.Id, T0.AddMinutes(1));
        Assert.Equal(DeliveryStatus.Pending, again!.Status);
        Assert.Equal(0, again.Attempts);
        Assert.Null(await Webhooks.RedeliverAsync("whk_other", dead.Id, T0));
        await Webhooks.RecordAttemptAsync(dead.Id, new DeliveryAttempt(true, 204, null, T0.AddMinutes(2), null));
        var delivered = Assert.Single((await Webhooks.DeliveriesAsync(s.Id, DeliveryStatus.Succeeded, 100, null)).Items);
        Assert.Equal(DeliveryStatus.Succeeded, delivered.Status);
        Assert.Equal(T0.AddMinutes(2), delivered.DeliveredAt);

        Assert.True(await Webhooks.DeleteAsync(s.Id));
        Assert.Null(await Webhooks.GetAsync(s.Id));
        Assert.False(await Webhooks.DeleteAsync(s.Id));
    }

    [Fact]
    public async Task Audit_entries_page_newest_first_and_filter()
    {
        var target = "req_" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < 5; i++)
        {
            await Audit.AppendAsync(new AuditEntry($"aud_{Guid.NewGuid():N}", T0.AddMinutes(i), "admin:a", i % 2 == 0 ? "request.approved" : "request.rejected",
                "request", target, "awaiting_manager_approval", $"step {i}", "corr-" + i));
        }
        var first = await Audit.QueryAsync(new AuditQuery { TargetId = target, Limit = 2 });
        Assert.Equal(["step 4", "step 3"], first.Items.Select(e => e.After));
        var second = await Audit.QueryAsync(new AuditQuery { TargetId = target, Limit = 2, ContinuationToken = first.ContinuationToken });
        Assert.Equal(["step 2", "step 1"], second.Items.Select(e => e.After));
        var third = await Audit.QueryAsync(new AuditQuery { TargetId = target, Limit = 2, ContinuationToken = second.ContinuationToken });
        Assert.Equal(["step 0"], third.Items.Select(e => e.After));
        Assert.Null(third.ContinuationToken);
        Assert.Equal(3, (await Audit.QueryAsync(new AuditQuery { TargetId = target, Action = "request.approved" })).Items.Count);
        Assert.Equal(2, (await Audit.QueryAsync(new AuditQuery { TargetId = target, From = T0.AddMinutes(3) })).Items.Count);
        Assert.Equal("corr-4", first.Items[0].CorrelationId);
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => Audit.QueryAsync(new AuditQuery { ContinuationToken = "bogus" }));
    }

    [Fact]
    public async Task Erasure_pseudonymises_requests_events_deliveries_and_audit_and_a_repeat_finds_nothing()
    {
        var s = await SubscribeAsync("*");
        var created = await Requests.CreateAsync(NewRequest());
        await Requests.ReplaceAsync(created.Value.TransitionTo(RequestStatus.Cancelled, "admin:x", T0.AddMinutes(1), "resident moved out"), created.ETag);
        await FanOutAllAsync();
        await Audit.AppendAsync(new AuditEntry($"aud_{Guid.NewGuid():N}", T0, "resident:self", AuditActions.ResidentExported, "resident", _resident, null, "1", null));
        var pseudonym = PersonalData.NewPseudonym();

        var changed = await Eraser.EraseAsync(new ErasureScope(_resident, pseudonym, [created.Value.Id]));
        await FanOutAllAsync();

        Assert.True(changed > 0);
        Assert.Empty((await Requests.QueryAsync(new RequestQuery { ResidentId = _resident })).Items);
        var erased = Assert.Single((await Requests.QueryAsync(new RequestQuery { ResidentId = pseudonym })).Items);
        Assert.Equal(PersonalData.Erased, erased.Message);
        Assert.Equal(PersonalData.Erased, erased.Unit);
        Assert.Equal("bldg-events", erased.Building);
        Assert.Equal(PersonalData.Erased, erased.History[^1].Detail);
        Assert.Empty(await Events.ForResidentAsync(_resident));
        var events = await Events.ForResidentAsync(pseudonym);
        Assert.Equal(["request.created", "request.cancelled"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(PersonalData.Erased, e.Unit));
        var deliveries = await DueForAsync(s.Id, created.Value.Id);
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.DoesNotContain(_resident, d.Payload, StringComparison.Ordinal));
        Assert.Empty((await Audit.QueryAsync(new AuditQuery { TargetId = _resident })).Items);
        Assert.Single((await Audit.QueryAsync(new AuditQuery { TargetId = pseudonym })).Items);

        Assert.Equal(0, await Eraser.EraseAsync(new ErasureScope(_resident, PersonalData.NewPseudonym(), [created.Value.Id])));
    }
}
