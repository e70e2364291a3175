using Microsoft.DurableTask.Client;

namespace ApartmentManager.Functions.Workflow;

/// <summary>
/// Carries the invocation's <see cref="DurableTaskClient"/> from the trigger's <c>[DurableClient]</c> binding to
/// <see cref="DurableWorkflowGateway"/>. Scoped: one per function invocation, filled by the trigger before it calls
/// the shared handlers.
/// </summary>
public sealed class DurableClientAccessor
{
    private DurableTaskClient? client;

    public bool HasClient => client is not null;

    public DurableTaskClient Client
    {
        get => client ?? throw new InvalidOperationException(
            "No DurableTaskClient for this invocation: a trigger that starts or signals workflows must take a " +
            "[DurableClient] DurableTaskClient parameter and assign it to DurableClientAccessor.Client first.");
        set => client = value ?? throw new ArgumentNullException(nameof(value));
    }
}
