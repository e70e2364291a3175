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
    /// <summary>The resident answered the clarifying question.</summary>
    public const string ResidentReplied = "ResidentReplied";
    /// <summary>The open work changed state (payload: the new state, e.g. "on_site").</summary>
    public const string WorkUpdated = "WorkUpdated";
    /// <summary>The work was reported complete (maintenance webhook or a manager).</summary>
    public const string WorkCompleted = "WorkCompleted";
    /// <summary>The resident confirmed the fix.</summary>
    public const string ResidentConfirmed = "ResidentConfirmed";
    /// <summary>The resident reported it is not fixed (payload: the reason).</summary>
    public const string ResidentReopened = "ResidentReopened";
}

/// <summary>Used until a workflow engine is registered: requests are stored and wait for a person.</summary>
public sealed class NoWorkflowGateway : IWorkflowGateway, IWorkflowStatusReader
{
    public Task<WorkflowStatus?> GetAsync(string requestId, CancellationToken cancellationToken = default) =>
        Task.FromResult<WorkflowStatus?>(null);

    public Task StartAsync(string requestId, string residentId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RaiseEventAsync(string requestId, string eventName, string? payload, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
