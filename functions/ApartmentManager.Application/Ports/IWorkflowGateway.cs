namespace ApartmentManager.Application.Ports;

/// <summary>
/// How the API talks to whatever runs the pipeline: Durable Functions in Azure, the embedded runner on one machine.
/// Starting is idempotent per request id (the orchestration instance id is the request id).
/// </summary>
public interface IWorkflowGateway
{
    Task StartAsync(string requestId, string residentId, CancellationToken cancellationToken = default);

    /// <summary>Delivers a human decision (<see cref="WorkflowEvents"/>) to the waiting workflow of a request.</summary>
    Task RaiseEventAsync(string requestId, string eventName, string? payload, CancellationToken cancellationToken = default);
}

/// <summary>Names of the external events a waiting workflow listens for.</summary>
public static class WorkflowEvents
{
    public const string OptionSelected = "OptionSelected";
    public const string ManagerApproved = "ManagerApproved";
    public const string ManagerRejected = "ManagerRejected";
    public const string Escalated = "Escalated";
}

/// <summary>Used until a workflow engine is registered: requests are stored and wait for a person.</summary>
public sealed class NoWorkflowGateway : IWorkflowGateway, IWorkflowStatusReader
{
    public Task<WorkflowStatus?> GetAsync(string requestId, CancellationToken cancellationToken = default) =>
        Task.FromResult<WorkflowStatus?>(null);

    public Task StartAsync(string requestId, string residentId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RaiseEventAsync(string requestId, string eventName, string? payload, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
