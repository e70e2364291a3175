using ApartmentManager.Domain;
using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Execution.Embedded;
using ApartmentManager.Execution.Webhooks;

namespace ApartmentManager.Execution.Tests;

public class WebhookExecutionTests
{
    [Fact]
    public async Task Transient_failures_are_retried_with_the_same_key_and_a_valid_signature()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.On("work-orders", attempt => (attempt <= 2 ? 503 : 200, TimeSpan.Zero));
        using var harness = new ExecutionHarness(ExecutionHarness.Webhook(receiver));

        var record = await harness.Executor.ExecuteAsync("req-1", Commands.WorkOrder());

        Assert.Equal(ExecutionStatus.Succeeded, record.Status);
        Assert.Equal(3, record.Attempts);
        Assert.StartsWith("EXT-work-orders-", record.ExternalReference);
        var hooks = receiver.Received.ToList();
        Assert.Equal(3, hooks.Count);
        Assert.All(hooks, h =>
        {
            Assert.True(h.SignatureValid);
            Assert.Equal("req-1:dispatch_now:work_order", h.IdempotencyKey);
            Assert.Contains("\"type\":\"work_order.create\"", h.Body);
        });
    }

    [Fact]
    public async Task A_receiver_that_rejects_the_signature_fails_the_action_without_retrying()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        using var harness = new ExecutionHarness(ExecutionHarness.Webhook(receiver, secret: "not-the-receivers-secret-000"));

        var record = await harness.Executor.ExecuteAsync("req-1", Commands.Notice());

        Assert.Equal(ExecutionStatus.Failed, record.Status);
        Assert.Contains("401", record.Error);
        Assert.Equal(1, record.Attempts);
        Assert.False(receiver.Received.Single().SignatureValid);
    }

    [Fact]
    public async Task A_stalled_receiver_times_out_each_attempt_and_the_action_fails_with_its_reason()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.On("notifications", _ => (200, TimeSpan.FromSeconds(10)));
        using var harness = new ExecutionHarness(ExecutionHarness.Webhook(receiver, attemptTimeoutSeconds: 0.3, maxRetries: 2));

        var record = await harness.Executor.ExecuteAsync("req-1", Commands.Notice());

        Assert.Equal(ExecutionStatus.Failed, record.Status);
        Assert.Equal(3, record.Attempts);
        Assert.Contains("timed out", record.Error);
        // Failed is final: executing again returns the failure, it does not call the receiver again.
        Assert.Equal(record, await harness.Executor.ExecuteAsync("req-1", Commands.Notice()));
        Assert.Equal(3, receiver.Count("notifications"));
    }

    [Fact]
    public async Task Eight_threads_send_one_webhook()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.On("ledger", _ => (200, TimeSpan.FromMilliseconds(100)));
        using var harness = new ExecutionHarness(ExecutionHarness.Webhook(receiver));
        using var start = new Barrier(8);

        var records = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await harness.Executor.ExecuteAsync("req-1", Commands.Credit());
        })));

        Assert.Equal(1, receiver.Count("ledger"));
        Assert.All(records, r => Assert.Equal(records[0], r));
    }

    [Fact]
    public async Task When_a_later_step_exhausts_its_retries_the_work_order_is_cancelled()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.On("ledger", _ => (500, TimeSpan.Zero));
        using var harness = new ExecutionHarness(ExecutionHarness.Webhook(receiver, maxRetries: 2));
        var plan = new ExecutionPlan("req-7", [Commands.WorkOrder(requestId: "req-7"), Commands.Credit(requestId: "req-7"), Commands.Notice(requestId: "req-7")]);

        var result = await harness.Executor.ExecuteAsync(plan);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Contains("post_ledger_entry (billing_credit:ledger) failed", result.Error);
        Assert.Contains("cancel_work_order", result.Error);
        Assert.Equal(ExecutionStatus.Compensated, result.Records[0].Status);
        Assert.Equal(ExecutionStatus.Failed, result.Records[1].Status);
        Assert.Equal(3, result.Records[1].Attempts);
        Assert.Equal("cancel_work_order", result.Records[2].Action);
        Assert.Equal(ExecutionStatus.Succeeded, result.Records[2].Status);
        Assert.Equal(0, receiver.Count("notifications")); // the plan stopped at the failure
        var workOrderHooks = receiver.Received.Where(h => h.Path == "/work-orders").ToList();
        Assert.Equal(2, workOrderHooks.Count);
        Assert.Contains("\"type\":\"work_order.cancel\"", workOrderHooks[1].Body);
        Assert.Equal(ExecutionStatus.Compensated, (await harness.Executor.GetAsync(result.Records[0].Id))!.Status);

        // Running the plan again repeats nothing: same failure, no new calls.
        int before = receiver.Received.Count;
        var again = await harness.Executor.ExecuteAsync(plan);
        Assert.Equal(ExecutionStatus.Failed, again.Status);
        Assert.Equal(before, receiver.Received.Count);
    }

    [Fact]
    public async Task The_circuit_opens_after_sustained_failure_and_calls_fail_fast()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.On("work-orders", _ => (500, TimeSpan.Zero));
        var settings = ExecutionHarness.Webhook(receiver, maxRetries: 3);
        settings["Execution:Webhook:BreakerMinimumThroughput"] = "2";
        settings["Execution:Webhook:BreakerFailureRatio"] = "0.5";
        settings["Execution:Webhook:BreakerBreakSeconds"] = "30";
        using var harness = new ExecutionHarness(settings);

        var first = await harness.Executor.ExecuteAsync("req-1", Commands.WorkOrder("a"));
        int calls = receiver.Count("work-orders");
        var second = await harness.Executor.ExecuteAsync("req-1", Commands.WorkOrder("b"));

        Assert.Equal(ExecutionStatus.Failed, first.Status);
        Assert.Equal(ExecutionStatus.Failed, second.Status);
        Assert.Contains("circuit breaker is open", second.Error);
        Assert.Equal(calls, receiver.Count("work-orders"));
    }

    [Fact]
    public void Signatures_bind_the_timestamp_and_the_body()
    {
        byte[] body = "{\"a\":1}"u8.ToArray();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        string signature = WebhookSignature.Compute("s3cret-s3cret-s3cret", now.ToUnixTimeSeconds(), body);

        Assert.True(WebhookSignature.Verify("s3cret-s3cret-s3cret", "1800000000", signature, body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("s3cret-s3cret-s3cret", "1800000001", signature, body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("s3cret-s3cret-s3cret", "1800000000", signature, "{\"a\":2}"u8, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("s3cret-s3cret-s3cret", "1800000000", signature, body, now.AddMinutes(10), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Webhook_mode_requires_a_signing_secret()
    {
        var settings = new Dictionary<string, string?> { ["Execution:Mode"] = "webhook" };
        using var harness = new ExecutionHarness(settings);
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => harness.Get<Microsoft.Extensions.Options.IOptions<ExecutionOptions>>().Value);
    }
}
