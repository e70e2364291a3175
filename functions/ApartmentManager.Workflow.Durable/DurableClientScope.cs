using Microsoft.DurableTask.Client;

namespace ApartmentManager.Workflow.Durable;

/// <summary>
/// The invocation's <see cref="DurableTaskClient"/>. Scoped: one per function invocation. In the Functions app the
/// client arrives through a <c>[DurableClient]</c> binding, and the app's middleware binds it and calls
/// <see cref="Use"/> once, before the trigger runs; triggers never touch it. Elsewhere (a Durable Task SDK worker, the
/// engine tests) the client is fixed when the scope is made.
/// </summary>
public sealed class DurableClientScope
{
    private DurableTaskClient? client;

    public DurableClientScope()
    {
    }

    public DurableClientScope(DurableTaskClient client) => Use(client);

    public bool HasClient => client is not null;

    public DurableTaskClient Client => client ?? throw new InvalidOperationException(
        "No DurableTaskClient for this invocation: a function that starts, signals or reads workflows must declare a " +
        "[DurableClient] DurableTaskClient parameter (the app's middleware binds it for the invocation).");

    /// <summary>Sets the invocation's client. Once: a second, different client is a programming error.</summary>
    public void Use(DurableTaskClient durableClient)
    {
        ArgumentNullException.ThrowIfNull(durableClient);
        if (client is not null && !ReferenceEquals(client, durableClient))
        {
            throw new InvalidOperationException("This invocation has a DurableTaskClient already.");
        }
        client = durableClient;
    }
}
