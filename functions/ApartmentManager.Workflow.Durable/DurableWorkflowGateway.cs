using System.Text.Json;
using ApartmentManager.Application.Ports;
using ApartmentManager.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Workflow.Durable;

/// <summary>
/// <see cref="IWorkflowGateway"/> and <see cref="IWorkflowStatusReader"/> over Durable Functions. The orchestration
/// instance id is the request id, so a request has at most one workflow: a start finds the existing instance and does
/// nothing.
/// </summary>
public sealed partial class DurableWorkflowGateway(DurableClientScope scope, ILogger<DurableWorkflowGateway> logger)
    : IWorkflowGateway, IWorkflowStatusReader
{
    public async Task StartAsync(string requestId, string residentId, CancellationToken cancellationToken = default)
    {
        var client = scope.Client;
        // Any existing instance counts, finished ones included: the Durable default would let a completed instance be
        // overwritten by a new start, and a finished request must never run its pipeline (and its actions) again.
        if (await client.GetInstanceAsync(requestId, cancellationToken) is { } existing)
        {
            LogAlreadyStarted(requestId, existing.RuntimeStatus);
            return;
        }
        try
        {
            // The dedupe statuses make the backend itself refuse a second start of an id in any state, so two starts
            // racing past the check above still make one instance.
            await client.ScheduleNewOrchestrationInstanceAsync(
                RequestWorkflow.Name, input: null, new StartOrchestrationOptions(InstanceId: requestId).WithDedupeStatuses(AllStatuses),
                cancellationToken);
            LogStarted(requestId, residentId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Two starts raced (an HTTP retry and an intake redelivery, say) and the other won: the backend refuses a
            // running instance id. Its exception type differs by backend, so look at the outcome instead of the type.
            if (await client.GetInstanceAsync(requestId, cancellationToken) is not { } winner)
            {
                throw;
            }
            LogAlreadyStarted(requestId, winner.RuntimeStatus);
        }
    }

    /// <summary>
    /// Delivers the event to a running (or pending) instance. An event for a request with no workflow, or one whose
    /// workflow has finished, is dropped with a log line, as the embedded runner does: backends differ here (one
    /// refuses, another queues the event forever), so the gateway decides.
    /// </summary>
    public async Task RaiseEventAsync(string requestId, string eventName, string? payload, CancellationToken cancellationToken = default)
    {
        var client = scope.Client;
        if (await client.GetInstanceAsync(requestId, cancellationToken) is not { IsCompleted: false } instance)
        {
            LogEventDropped(eventName, requestId);
            return;
        }
        LogRaising(eventName, requestId, instance.RuntimeStatus);
        await client.RaiseEventAsync(requestId, eventName, payload, cancellationToken);
    }

    public async Task<WorkflowStatus?> GetAsync(string requestId, CancellationToken cancellationToken = default)
    {
        if (await scope.Client.GetInstanceAsync(requestId, getInputsAndOutputs: true, cancellationToken) is not { } instance)
        {
            return null;
        }
        var progress = ReadProgress(instance.SerializedCustomStatus);
        return new WorkflowStatus(instance.RuntimeStatus.ToString().ToLowerInvariant(), progress?.Step, progress?.AwaitedEvent,
            progress?.DueAt, progress?.Detail ?? instance.FailureDetails?.ErrorMessage, instance.LastUpdatedAt);
    }

    /// <summary>
    /// The custom status the orchestrator set (<see cref="WorkflowProgress"/>). Read with web defaults, which are
    /// case-insensitive, so it does not matter which casing the worker's serializer wrote.
    /// </summary>
    public static WorkflowProgress? ReadProgress(string? serializedCustomStatus)
    {
        if (string.IsNullOrWhiteSpace(serializedCustomStatus))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(serializedCustomStatus, WorkflowJsonContext.Default.WorkflowProgress);
        }
        catch (JsonException)
        {
            return null; // written by another version of the orchestrator: the status is still worth showing
        }
    }

    [LoggerMessage(LogLevel.Information, "Workflow {RequestId} scheduled for resident {ResidentId}")]
    private partial void LogStarted(string requestId, string residentId);

    [LoggerMessage(LogLevel.Information, "Workflow {RequestId} exists already ({RuntimeStatus}); not starting it again")]
    private partial void LogAlreadyStarted(string requestId, OrchestrationRuntimeStatus runtimeStatus);

    [LoggerMessage(LogLevel.Information, "Raising {EventName} on workflow {RequestId} ({RuntimeStatus})")]
    private partial void LogRaising(string eventName, string requestId, OrchestrationRuntimeStatus runtimeStatus);

    [LoggerMessage(LogLevel.Warning, "Dropped {EventName} for {RequestId}: no running workflow")]
    private partial void LogEventDropped(string eventName, string requestId);

    private static readonly OrchestrationRuntimeStatus[] AllStatuses =
    [
        OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended,
        OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated,
    ];
}
