using ApartmentManager.Domain;

namespace ApartmentManager.Execution;

/// <summary>Carries out actions exactly once per idempotency key (request id + step) and answers what happened.</summary>
public interface IActionExecutor
{
    /// <summary>Runs a plan; a failed action stops it and the defined compensations of the earlier actions run.</summary>
    Task<ExecutionResult> ExecuteAsync(ExecutionPlan plan, CancellationToken cancellationToken = default);

    /// <summary>Runs one action (e.g. <c>POST /api/v1/notify</c>). Repeating it returns the first record and does nothing new.</summary>
    Task<ExecutionRecord> ExecuteAsync(string requestId, ExecutionAction action, CancellationToken cancellationToken = default);

    /// <summary>For <c>GET /api/v1/executions/{id}</c>; null when unknown.</summary>
    Task<ExecutionRecord?> GetAsync(string executionId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ExecutionRecord>> ListForRequestAsync(string requestId, CancellationToken cancellationToken = default);
}
