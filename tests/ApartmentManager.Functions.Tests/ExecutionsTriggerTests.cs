using ApartmentManager.Api.Messaging;
using ApartmentManager.Functions.Messaging;
using ApartmentManager.Workflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace ApartmentManager.Functions.Tests;

/// <summary>
/// Queue <c>executions</c>: the command runs the execute step. Nothing is sent from here: the step's history entries are
/// the request's domain events, which the outbox dispatcher publishes (see <see cref="PlatformTriggerTests"/>).
/// </summary>
public sealed class ExecutionsTriggerTests
{
    private readonly Mock<IPipelineSteps> steps = new(MockBehavior.Strict);
    private readonly ServiceProvider services = new ServiceCollection().BuildServiceProvider();

    private Task RunAsync(ExecutionCommand command, string messageId = "sb-exec-1")
    {
        var function = new ExecutionsFunction(steps.Object, NullLogger<ExecutionsFunction>.Instance);
        var context = FunctionsTestHost.FunctionContextFor(services, bindingData: new Dictionary<string, object?> { ["MessageId"] = messageId });
        return function.Run(command, context.Object, CancellationToken.None);
    }

    [Fact]
    public async Task A_command_runs_the_execute_step()
    {
        steps.Setup(s => s.ExecuteAsync(new StepInput("req_7", "opt-2", "re-drive"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ExecutionOutcome(true, ["wo-1", "ntf-1"]));

        await RunAsync(new ExecutionCommand("req_7", "opt-2", "re-drive"));

        steps.VerifyAll();
    }

    [Fact]
    public async Task A_failed_execution_is_recorded_by_the_step_not_thrown()
    {
        steps.Setup(s => s.ExecuteAsync(It.IsAny<StepInput>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ExecutionOutcome(false, [], "vendor down"));

        await RunAsync(new ExecutionCommand("req_7", null, null));

        steps.VerifyAll();
    }

    [Fact]
    public async Task A_command_without_a_request_is_poison()
    {
        await Assert.ThrowsAsync<PoisonMessageException>(() => RunAsync(new ExecutionCommand(" ", "opt-1", null)));
        steps.VerifyNoOtherCalls();
    }
}
