using ApartmentManager.Domain;
using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Execution.Embedded;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Execution.Tests;

public class EmbeddedExecutionTests
{
    private static async Task<long> CountAsync(ExecutionHarness harness, string sql)
    {
        await using var connection = await harness.Get<ExecutionDatabase>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Eight_threads_executing_the_same_action_cause_one_side_effect()
    {
        using var harness = new ExecutionHarness();
        var executor = harness.Executor;
        using var start = new Barrier(8);

        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await executor.ExecuteAsync("req-1", Commands.WorkOrder());
        })).ToArray();
        var records = await Task.WhenAll(tasks);

        Assert.Equal(1, await CountAsync(harness, "SELECT COUNT(*) FROM work_orders"));
        Assert.Equal(1, await CountAsync(harness, "SELECT COUNT(*) FROM executions"));
        Assert.All(records, r =>
        {
            Assert.Equal(ExecutionStatus.Succeeded, r.Status);
            Assert.Equal(records[0], r);
        });
        Assert.Equal(1, records[0].Attempts);
        Assert.StartsWith("WO-", records[0].ExternalReference);
    }

    [Fact]
    public async Task Executing_again_returns_the_first_result_and_does_nothing_new()
    {
        using var harness = new ExecutionHarness();
        var first = await harness.Executor.ExecuteAsync("req-1", Commands.Credit());
        var again = await harness.Executor.ExecuteAsync("req-1", Commands.Credit(amount: 999m));

        Assert.Equal(first, again);
        Assert.Equal(1, await CountAsync(harness, "SELECT COUNT(*) FROM ledger_entries"));
        Assert.Equal(first, await harness.Executor.GetAsync(first.Id));
        Assert.Equal(References.ExecutionId("req-1:billing_credit:ledger"), first.Id);
    }

    [Fact]
    public async Task A_whole_plan_runs_once_and_is_listed_for_its_request()
    {
        using var harness = new ExecutionHarness();
        var plan = new ExecutionPlan("req-9", [Commands.WorkOrder(requestId: "req-9"), Commands.Notice(requestId: "req-9")]);

        var first = await harness.Executor.ExecuteAsync(plan);
        var second = await harness.Executor.ExecuteAsync(plan);

        Assert.Equal(ExecutionStatus.Succeeded, first.Status);
        Assert.Equal(first.Records, second.Records);
        Assert.Equal(["create_work_order", "send_notification"], (await harness.Executor.ListForRequestAsync("req-9")).Select(r => r.Action));
        Assert.Equal(1, await CountAsync(harness, "SELECT COUNT(*) FROM notifications"));
        Assert.True(File.Exists(Path.Combine(harness.DataDirectory, "executions.db")));
    }

    [Fact]
    public async Task Unknown_execution_ids_are_null_and_bad_plans_are_rejected()
    {
        using var harness = new ExecutionHarness();
        Assert.Null(await harness.Executor.GetAsync("exe-nothing"));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Executor.ExecuteAsync(new ExecutionPlan("r", [Commands.Notice("a"), Commands.Notice("a")])));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Executor.ExecuteAsync(new ExecutionPlan(" ", [Commands.Notice()])));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Executor.ExecuteAsync(new ExecutionPlan("r", [])));
        await Assert.ThrowsAsync<InvalidExecutionPlanException>(() => harness.Executor.ExecuteAsync("r", Commands.Credit(amount: -5m)));
        await Assert.ThrowsAsync<InvalidExecutionPlanException>(() => harness.Executor.ExecuteAsync("r", Commands.Notice() with { Command = Commands.Notice().Command with { Channel = "pigeon" } }));
        Assert.Empty(await harness.Executor.ListForRequestAsync("r"));
    }

    [Fact]
    public async Task Embedded_compensations_cancel_the_work_order_and_reverse_the_credit()
    {
        using var harness = new ExecutionHarness();
        var workOrders = harness.Get<Gateways.IWorkOrderGateway>();
        var ledger = harness.Get<Gateways.IBillingLedgerGateway>();

        var order = await workOrders.CreateAsync(Commands.WorkOrder().Command, "k1");
        await workOrders.CancelAsync(order.ExternalReference, "test", "k1:compensate");
        await workOrders.CancelAsync(order.ExternalReference, "test", "k1:compensate");
        var credit = await ledger.PostAsync(Commands.Credit().Command, "k2");
        await ledger.ReverseAsync(credit.ExternalReference, "test", "k2:compensate");
        await ledger.ReverseAsync(credit.ExternalReference, "test", "k2:compensate");

        Assert.Equal(1, await CountAsync(harness, "SELECT COUNT(*) FROM work_orders WHERE status = 'cancelled'"));
        Assert.Equal(1, await CountAsync(harness, $"SELECT COUNT(*) FROM ledger_entries WHERE entry_type = 'charge' AND reverses = '{credit.ExternalReference}'"));
        await Assert.ThrowsAsync<Gateways.GatewayException>(() => workOrders.CancelAsync("WO-missing", "test", "k3"));
    }
}
