namespace ApartmentManager.Application.Ports;

/// <summary>Where a request's workflow stands: running, waiting (for what, until when), or finished.</summary>
/// <param name="RuntimeStatus">Engine status: pending, running, waiting, completed, failed (Durable: its runtime status, lower case).</param>
public sealed record WorkflowStatus(
    string RuntimeStatus,
    string? CurrentStep,
    string? AwaitedEvent,
    DateTimeOffset? DueAt,
    string? Detail,
    DateTimeOffset? UpdatedAt);

/// <summary>Reads workflow progress from whichever engine runs it (embedded runner, Durable Functions).</summary>
public interface IWorkflowStatusReader
{
    Task<WorkflowStatus?> GetAsync(string requestId, CancellationToken cancellationToken = default);
}
