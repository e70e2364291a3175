using ApartmentManager.Api.Messaging;
using System.Text.Json.Nodes;
using ApartmentManager.Functions.Messaging;
using ApartmentManager.Workflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace ApartmentManager.Functions.Tests;

public sealed class ExecutionsTriggerTests
{
    private readonly Mock<IPipelineSteps> steps = new(MockBehavior.Strict);
    private readonly ServiceProvider services = new ServiceCollection().BuildServiceProvider();

    private Task<string> RunAsync(ExecutionCommand command, string messageId = "sb-exec-1")
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        var function = new ExecutionsFunction(steps.Object, clock, NullLogger<ExecutionsFunction>.Instance);
        var context = FunctionsTestHost.FunctionContextFor(services, bindingData: new Dictionary<string, object?> { ["MessageId"] = messageId });
        return function.Run(command, context.Object, CancellationToken.None);
    }

    [Fact]
    public async Task A_command_runs_the_execute_step_and_reports_the_outcome_on_the_events_topic()
    {
        steps.Setup(s => s.ExecuteAsync(new StepInput("req_7", "opt-2", "re-drive"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ExecutionOutcome(true, ["wo-1", "ntf-1"]));

        var message = JsonNode.Parse(await RunAsync(new ExecutionCommand("req_7", "opt-2", "re-drive")))!;

        Assert.Equal("request.executed", message["type"]!.GetValue<string>());
        Assert.Equal("req_7", message["requestId"]!.GetValue<string>());
        Assert.Equal("req_7:Execute:sb-exec-1", message["eventId"]!.GetValue<string>());
        Assert.Equal("wo-1,ntf-1", message["detail"]!.GetValue<string>());
        Assert.Equal("2026-11-22T10:00:00+00:00", message["occurredAt"]!.GetValue<string>());
        steps.VerifyAll();
    }

    [Fact]
    public async Task A_failed_execution_is_reported_not_thrown()
    {
        steps.Setup(s => s.ExecuteAsync(It.IsAny<StepInput>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ExecutionOutcome(false, [], "vendor down"));

        var message = JsonNode.Parse(await RunAsync(new ExecutionCommand("req_7", null, null)))!;

        Assert.Equal("request.execution_failed", message["type"]!.GetValue<string>());
        Assert.Equal("vendor down", message["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_command_without_a_request_is_poison()
    {
        await Assert.ThrowsAsync<PoisonMessageException>(() => RunAsync(new ExecutionCommand(" ", "opt-1", null)));
        steps.VerifyNoOtherCalls();
    }
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
