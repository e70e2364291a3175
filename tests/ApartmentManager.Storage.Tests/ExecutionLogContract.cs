using System.Collections.Concurrent;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using ApartmentManager.Execution;
using ApartmentManager.Execution.Gateways;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Storage.Tests;

/// <summary>
/// What every execution log adapter must do, run unchanged against SQLite (several processes on one file) and Cosmos DB
/// on the local Cosmos-protocol server (several app instances on one container). Each "instance" is a separate adapter
/// object (its own connection / client) over the same store, with the clock of the test.
/// </summary>
public abstract class ExecutionLogContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    protected ManualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    /// <summary>A new instance of the adapter over the same store.</summary>
    protected abstract IExecutionLog NewInstance();

    private readonly string _request = "req_" + Guid.NewGuid().ToString("N");

    private ExecutionClaimRequest Claim(string step = "dispatch_now:notify", string holder = "instance-a")
    {
        var key = References.IdempotencyKey(_request, step);
        return new ExecutionClaimRequest(_request,
            new ExecutionRecord(References.ExecutionId(key), key, "send_notification", "notifications", ExecutionStatus.Pending, 0, Clock.GetUtcNow(), null, null, null),
            "{\"subject\":\"On the way\"}", holder, Lease);
    }

    private ExecutionRecord Succeeded(ExecutionRecord pending, string reference, int attempts = 1) =>
        pending with { Status = ExecutionStatus.Succeeded, Attempts = pending.Attempts + attempts, CompletedAt = Clock.GetUtcNow(), ExternalReference = reference };

    [Fact]
    public async Task A_first_claim_acquires_the_key_and_records_it_pending()
    {
        var log = NewInstance();
        var request = Claim();

        var claim = await log.ClaimAsync(request);

        Assert.Equal(ExecutionClaimOutcome.Acquired, claim.Outcome);
        var lease = Assert.IsType<ExecutionLease>(claim.Lease);
        Assert.Equal(request.Pending.Id, lease.ExecutionId);
        Assert.Equal(Clock.GetUtcNow() + Lease, lease.Until);
        var stored = Assert.IsType<ExecutionRecord>(await NewInstance().GetAsync(request.Pending.Id));
        Assert.Equal(ExecutionStatus.Pending, stored.Status);
        Assert.Equal(request.Pending.IdempotencyKey, stored.IdempotencyKey);
        Assert.Equal(0, stored.Attempts);
    }

    [Fact]
    public async Task A_duplicate_claim_while_the_lease_is_live_may_not_send()
    {
        var first = await NewInstance().ClaimAsync(Claim());
        Clock.Advance(TimeSpan.FromSeconds(59));

        var second = await NewInstance().ClaimAsync(Claim(holder: "instance-b"));

        Assert.Equal(ExecutionClaimOutcome.Held, second.Outcome);
        Assert.False(second.MaySend);
        Assert.Null(second.Lease);
        Assert.Equal(first.Lease!.Until, second.HeldUntil);
        Assert.Equal(ExecutionStatus.Pending, second.Record.Status);
    }

    [Fact]
    public async Task Of_concurrent_claims_from_two_instances_exactly_one_may_send()
    {
        var instances = new[] { NewInstance(), NewInstance() };
        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => instances[i % 2].ClaimAsync(Claim(holder: $"instance-{i % 2}")))));

        Assert.Single(claims, c => c.MaySend);
        Assert.Equal(15, claims.Count(c => c.Outcome == ExecutionClaimOutcome.Held));
    }

    [Fact]
    public async Task A_completed_entry_is_settled_for_every_instance_and_cannot_be_completed_again()
    {
        var log = NewInstance();
        var claim = await log.ClaimAsync(Claim());
        var outcome = Succeeded(claim.Record, "NT-1");

        Assert.True(await log.CompleteAsync(claim.Lease!, outcome));

        var other = NewInstance();
        var again = await other.ClaimAsync(Claim(holder: "instance-b"));
        Assert.Equal(ExecutionClaimOutcome.Settled, again.Outcome);
        Assert.False(again.MaySend);
        Assert.Equal(ExecutionStatus.Succeeded, again.Record.Status);
        Assert.Equal("NT-1", again.Record.ExternalReference);
        Assert.Equal(1, again.Record.Attempts);
        // Settled is final: even far past the lease, nobody takes it over or overwrites it.
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(ExecutionClaimOutcome.Settled, (await other.ClaimAsync(Claim(holder: "instance-c"))).Outcome);
        Assert.False(await log.CompleteAsync(claim.Lease!, outcome with { Status = ExecutionStatus.Failed, Error = "late" }));
        Assert.Equal(ExecutionStatus.Succeeded, (await other.GetAsync(claim.Record.Id))!.Status);
    }

    [Fact]
    public async Task A_failed_outcome_is_recorded_with_its_reason()
    {
        var log = NewInstance();
        var claim = await log.ClaimAsync(Claim());

        Assert.True(await log.CompleteAsync(claim.Lease!, claim.Record with
        {
            Status = ExecutionStatus.Failed, Attempts = 4, CompletedAt = Clock.GetUtcNow(), Error = "503 after 4 attempts",
        }));

        var stored = (await NewInstance().GetAsync(claim.Record.Id))!;
        Assert.Equal(ExecutionStatus.Failed, stored.Status);
        Assert.Equal(4, stored.Attempts);
        Assert.Equal("503 after 4 attempts", stored.Error);
        Assert.Equal(Clock.GetUtcNow(), stored.CompletedAt);
    }

    [Fact]
    public async Task A_claim_whose_holder_died_is_taken_over_after_the_lease_expires()
    {
        var dead = await NewInstance().ClaimAsync(Claim());
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        var takeover = await NewInstance().ClaimAsync(Claim(holder: "instance-b"));

        Assert.Equal(ExecutionClaimOutcome.TakenOver, takeover.Outcome);
        var lease = Assert.IsType<ExecutionLease>(takeover.Lease);
        Assert.NotEqual(dead.Lease!.Token, lease.Token);
        Assert.Equal(Clock.GetUtcNow() + Lease, lease.Until);
        // The new holder's lease shuts the others out again.
        var third = await NewInstance().ClaimAsync(Claim(holder: "instance-c"));
        Assert.Equal(ExecutionClaimOutcome.Held, third.Outcome);
        Assert.Equal(lease.Until, third.HeldUntil);
    }

    [Fact]
    public async Task Of_concurrent_takeovers_of_one_expired_claim_exactly_one_wins()
    {
        await NewInstance().ClaimAsync(Claim());
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var instances = new[] { NewInstance(), NewInstance() };

        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => instances[i % 2].ClaimAsync(Claim(holder: $"instance-{i % 2}")))));

        Assert.Single(claims, c => c.Outcome == ExecutionClaimOutcome.TakenOver);
        Assert.DoesNotContain(claims, c => c.Outcome == ExecutionClaimOutcome.Acquired);
    }

    [Fact]
    public async Task A_stale_holders_completion_is_refused_after_a_takeover()
    {
        var stale = NewInstance();
        var first = await stale.ClaimAsync(Claim());
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var taker = NewInstance();
        var second = await taker.ClaimAsync(Claim(holder: "instance-b"));

        Assert.False(await stale.CompleteAsync(first.Lease!, Succeeded(first.Record, "NT-stale")));
        Assert.True(await taker.CompleteAsync(second.Lease!, Succeeded(second.Record, "NT-taker")));

        var stored = (await stale.GetAsync(first.Record.Id))!;
        Assert.Equal(ExecutionStatus.Succeeded, stored.Status);
        Assert.Equal("NT-taker", stored.ExternalReference);
    }

    [Fact]
    public async Task A_late_holder_may_still_complete_when_nobody_took_over()
    {
        var log = NewInstance();
        var claim = await log.ClaimAsync(Claim());
        Clock.Advance(Lease * 2);

        Assert.True(await log.CompleteAsync(claim.Lease!, Succeeded(claim.Record, "NT-late")));
        Assert.Equal(ExecutionClaimOutcome.Settled, (await NewInstance().ClaimAsync(Claim(holder: "instance-b"))).Outcome);
    }

    [Fact]
    public async Task Reads_answer_from_any_instance_and_list_a_requests_entries_in_start_order()
    {
        var log = NewInstance();
        Assert.Null(await log.GetAsync("exe-" + Guid.NewGuid().ToString("N")));

        var work = await log.ClaimAsync(Claim("dispatch_now:work_order"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var notice = await log.ClaimAsync(Claim("dispatch_now:notify"));
        Assert.True(await log.CompleteAsync(work.Lease!, Succeeded(work.Record, "WO-1")));

        var reader = NewInstance();
        var listed = await reader.ListForRequestAsync(_request);
        Assert.Equal([work.Record.Id, notice.Record.Id], listed.Select(r => r.Id));
        Assert.Equal([ExecutionStatus.Succeeded, ExecutionStatus.Pending], listed.Select(r => r.Status));
        Assert.Equal("WO-1", (await reader.GetAsync(work.Record.Id))!.ExternalReference);
        Assert.Empty(await reader.ListForRequestAsync("req_" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task Only_a_succeeded_entry_can_be_marked_compensated()
    {
        var log = NewInstance();
        var done = await log.ClaimAsync(Claim("dispatch_now:work_order"));
        await log.CompleteAsync(done.Lease!, Succeeded(done.Record, "WO-9"));
        var pending = await log.ClaimAsync(Claim("dispatch_now:notify"));

        Assert.True(await NewInstance().MarkCompensatedAsync(done.Record.Id, "compensated by exe-x"));
        Assert.False(await log.MarkCompensatedAsync(done.Record.Id, "twice"));
        Assert.False(await log.MarkCompensatedAsync(pending.Record.Id, "not settled"));

        var stored = (await log.GetAsync(done.Record.Id))!;
        Assert.Equal(ExecutionStatus.Compensated, stored.Status);
        Assert.Equal("compensated by exe-x", stored.Error);
        Assert.Equal("WO-9", stored.ExternalReference);
    }

    [Fact]
    public async Task Two_executors_sharing_the_log_send_an_action_once()
    {
        // Two app instances, each with its own executor and log adapter, handed the same action at once (a message
        // delivered twice, or a retried activity): the gateway sees one send and both answer the same record.
        var gateway = new CountingNotifications();
        var options = Options.Create(new ExecutionOptions { LeaseSeconds = 60, LeasePollMilliseconds = 5 });
        ActionExecutor Executor() => new(NewInstance(), new Unused(), gateway, new Unused(), options, Clock);
        var a = Executor();
        var b = Executor();
        var action = new SendNotification("dispatch_now:notify", new NotificationCommand(_request, "res-1", "sms", "On the way", "A technician is on the way."));

        var records = await Task.WhenAll(
            Task.Run(() => a.ExecuteAsync(_request, action)), Task.Run(() => b.ExecuteAsync(_request, action)),
            Task.Run(() => a.ExecuteAsync(_request, action)), Task.Run(() => b.ExecuteAsync(_request, action)));

        Assert.Equal(1, gateway.Sends);
        Assert.All(records, r => Assert.Equal(ExecutionStatus.Succeeded, r.Status));
        Assert.Single(records.Select(r => r.ExternalReference).Distinct());
        Assert.Equal(ExecutionStatus.Succeeded, (await b.GetAsync(records[0].Id))!.Status);
    }

    /// <summary>The external system: counts the sends that reach it (slowly enough for the others to find the claim).</summary>
    private sealed class CountingNotifications : INotificationGateway
    {
        private int _sends;
        public int Sends => _sends;
        private readonly ConcurrentDictionary<string, string> _byKey = new();

        public async Task<GatewayReceipt> SendAsync(NotificationCommand command, string idempotencyKey, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _sends);
            await Task.Delay(50, cancellationToken);
            return new GatewayReceipt(_byKey.GetOrAdd(idempotencyKey, _ => "NT-" + Guid.NewGuid().ToString("N")[..8]), 1);
        }
    }

    private sealed class Unused : IWorkOrderGateway, IBillingLedgerGateway
    {
        public Task<GatewayReceipt> CreateAsync(WorkOrderCommand command, string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<GatewayReceipt> CancelAsync(string externalReference, string reason, string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<GatewayReceipt> PostAsync(LedgerEntryCommand command, string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<GatewayReceipt> ReverseAsync(string externalReference, string reason, string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}

/// <summary>A clock the test moves by hand (lease expiry without waiting).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
