using ApartmentManager.Application.Ports;
using ApartmentManager.Functions.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace ApartmentManager.Functions.Tests;

public sealed class DurableWorkflowGatewayTests : IDisposable
{
    private readonly FunctionsTestHost host = new();

    private IWorkflowGateway GatewayIn(IServiceScope scope, bool withClient = true)
    {
        if (withClient)
        {
            scope.ServiceProvider.GetRequiredService<DurableClientAccessor>().Client = host.Client.Object;
        }
        return scope.ServiceProvider.GetRequiredService<IWorkflowGateway>();
    }

    [Fact]
    public void The_functions_app_resolves_the_durable_gateway_per_invocation()
    {
        using var first = host.Services.CreateScope();
        using var second = host.Services.CreateScope();
        Assert.IsType<DurableWorkflowGateway>(GatewayIn(first, withClient: false));
        Assert.NotSame(first.ServiceProvider.GetRequiredService<DurableClientAccessor>(), second.ServiceProvider.GetRequiredService<DurableClientAccessor>());
    }

    [Fact]
    public async Task An_existing_instance_is_never_started_again_even_when_finished()
    {
        host.Instances["req_done"] = new OrchestrationMetadata(ApartmentManager.Workflow.RequestWorkflow.Name, "req_done")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Completed,
        };
        using var scope = host.Services.CreateScope();

        await GatewayIn(scope).StartAsync("req_done", "res-1");

        Assert.Empty(host.Scheduled);
    }

    [Fact]
    public async Task Losing_a_start_race_is_not_an_error()
    {
        // The instance does not exist when checked, but a concurrent start creates it before this one is scheduled.
        host.Client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(
                It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Returns((TaskName name, object? _, StartOrchestrationOptions? options, CancellationToken _) =>
            {
                host.Instances[options!.InstanceId!] = new OrchestrationMetadata(name.Name, options.InstanceId!) { RuntimeStatus = OrchestrationRuntimeStatus.Running };
                throw new InvalidOperationException("already exists");
            });
        using var scope = host.Services.CreateScope();

        await GatewayIn(scope).StartAsync("req_race", "res-1");

        Assert.True(host.Instances.ContainsKey("req_race"));
    }

    [Fact]
    public async Task A_failed_start_with_no_instance_behind_it_is_rethrown()
    {
        host.Client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(
                It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("task hub unavailable"));
        using var scope = host.Services.CreateScope();

        await Assert.ThrowsAsync<TimeoutException>(() => GatewayIn(scope).StartAsync("req_lost", "res-1"));
    }

    [Fact]
    public async Task Events_are_raised_on_the_instance_named_by_the_request_id()
    {
        using var scope = host.Services.CreateScope();

        await GatewayIn(scope).RaiseEventAsync("req_1", WorkflowEvents.OptionSelected, "opt-2");

        Assert.Equal(new List<(string, string, object?)> { ("req_1", WorkflowEvents.OptionSelected, "opt-2") }, host.Raised);
    }

    [Fact]
    public async Task Without_a_bound_client_the_gateway_says_what_is_missing()
    {
        using var scope = host.Services.CreateScope();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayIn(scope, withClient: false).StartAsync("req_1", "res-1"));
        Assert.Contains("[DurableClient]", error.Message);
    }

    public void Dispose() => host.Dispose();
}
