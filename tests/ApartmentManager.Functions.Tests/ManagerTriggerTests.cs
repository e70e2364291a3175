using System.Text.Json;
using ApartmentManager.Application.Ports;
using ApartmentManager.Functions.Http;
using ApartmentManager.Workflow;
using Microsoft.DurableTask.Client;
using static ApartmentManager.Functions.Tests.FunctionsTestHost;

namespace ApartmentManager.Functions.Tests;

public sealed class ManagerTriggerTests : IDisposable
{
    private readonly FunctionsTestHost host = new();

    private async Task<string> CreateAsync()
    {
        var (functions, scope) = host.Create<RequestFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "POST", "/api/v1/requests",
            new { building = "maple-court", unit = "4B", message = "The front door lock is broken" }, Resident("res-1"));
        var body = await ExecuteAsync(await functions.Create(http.Request, host.Client.Object, CancellationToken.None), http);
        return body!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_workflow_view_reads_the_durable_instance_and_its_custom_status()
    {
        var id = await CreateAsync();
        var due = new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);
        // As the orchestrator's SetCustomStatus would have stored it (the worker serializer's casing: PascalCase).
        host.Instances[id] = new OrchestrationMetadata(RequestWorkflow.Name, id)
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Running,
            SerializedCustomStatus = JsonSerializer.Serialize(new WorkflowProgress(WorkflowSteps.AwaitResident.Name, WorkflowEvents.OptionSelected, due)),
            LastUpdatedAt = due.AddHours(-48),
        };

        var (functions, scope) = host.Create<ManagerFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "GET", $"/api/v1/requests/{id}/workflow", user: Admin());
        var body = await ExecuteAsync(await functions.Workflow(http.Request, id, host.Client.Object, CancellationToken.None), http);

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal("running", body!["runtimeStatus"]!.GetValue<string>());
        Assert.Equal(WorkflowSteps.AwaitResident.Name, body["currentStep"]!.GetValue<string>());
        Assert.Equal(WorkflowEvents.OptionSelected, body["awaitedEvent"]!.GetValue<string>());
        Assert.Equal(due, body["dueAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task The_workflow_view_of_someone_elses_request_is_404()
    {
        var id = await CreateAsync();

        var (functions, scope) = host.Create<ManagerFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "GET", $"/api/v1/requests/{id}/workflow", user: Resident("res-2"));
        await ExecuteAsync(await functions.Workflow(http.Request, id, host.Client.Object, CancellationToken.None), http);

        Assert.Equal(404, http.Response.StatusCode);
    }

    [Fact]
    public async Task Escalate_raises_the_escalated_event_with_the_reason()
    {
        var id = await CreateAsync();

        var (functions, scope) = host.Create<ManagerFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "POST", $"/api/v1/requests/{id}/escalate", new { reason = "water reaching the flat below" }, Admin());
        await ExecuteAsync(await functions.Escalate(http.Request, id, host.Client.Object, CancellationToken.None), http);

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal(new List<(string, string, object?)> { (id, WorkflowEvents.Escalated, "water reaching the flat below") }, host.Raised);
    }

    [Fact]
    public async Task Approving_a_request_that_awaits_no_approval_is_409_and_raises_nothing()
    {
        var id = await CreateAsync();

        var (functions, scope) = host.Create<ManagerFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "POST", $"/api/v1/requests/{id}/approve", new { }, Admin());
        await ExecuteAsync(await functions.Approve(http.Request, id, host.Client.Object, CancellationToken.None), http);

        Assert.Equal(409, http.Response.StatusCode);
        Assert.Empty(host.Raised);
    }

    [Fact]
    public async Task A_resident_cannot_reject()
    {
        var id = await CreateAsync();

        var (functions, scope) = host.Create<ManagerFunctions>();
        using var _ = scope;
        var http = NewHttp(scope.ServiceProvider, "POST", $"/api/v1/requests/{id}/reject", new { reason = "no" }, Resident("res-1"));
        await ExecuteAsync(await functions.Reject(http.Request, id, host.Client.Object, CancellationToken.None), http);

        Assert.Equal(403, http.Response.StatusCode);
        Assert.Empty(host.Raised);
    }

    public void Dispose() => host.Dispose();
}
