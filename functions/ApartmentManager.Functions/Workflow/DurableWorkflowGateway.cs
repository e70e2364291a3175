using System.Text.Json;
using ApartmentManager.Application.Ports;
using ApartmentManager.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Functions.Workflow;

/// <summary>
/// <see cref="IWorkflowGateway"/> and <see cref="IWorkflowStatusReader"/> over Durable Functions. The orchestration
/// instance id is the request id, so a request has at most one workflow: a start finds the existing instance and does
/// nothing.
/// </summary>
public sealed partial class DurableWorkflowGateway(DurableClientAccessor accessor, ILogger<DurableWorkflowGateway> logger)
    : IWorkflowGateway, IWorkflowStatusReader
{
    public async Task StartAsync(string requestId, string residentId, CancellationToken cancellationToken = default)
    {
        var client = accessor.Client;
        // Any existing instance counts, finished ones included: the Durable default would let a completed instance be
        // overwritten by a new start, and a finished request must never run its pipeline (and its actions) again.
        if (await client.GetInstanceAsync(requestId, cancellationToken) is { } existing)
        {
            LogAlreadyStarted(requestId, existing.RuntimeStatus);
            return;
        }
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                RequestWorkflow.Name, input: null, new StartOrchestrationOptions(InstanceId: requestId), cancellationToken);
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

    public Task RaiseEventAsync(string requestId, string eventName, string? payload, CancellationToken cancellationToken = default)
    {
        LogRaising(eventName, requestId);
        return accessor.Client.RaiseEventAsync(requestId, eventName, payload, cancellationToken);
    }

    public async Task<WorkflowStatus?> GetAsync(string requestId, CancellationToken cancellationToken = default)
    {
        if (await accessor.Client.GetInstanceAsync(requestId, getInputsAndOutputs: true, cancellationToken) is not { } instance)
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

    [LoggerMessage(LogLevel.Information, "Raising {EventName} on workflow {RequestId}")]
    private partial void LogRaising(string eventName, string requestId);
}
