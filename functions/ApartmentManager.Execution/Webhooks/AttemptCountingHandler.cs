using System.Runtime.CompilerServices;

namespace ApartmentManager.Execution.Webhooks;

/// <summary>Sits inside the resilience handler and counts each attempt on a counter the caller put on the request.</summary>
internal sealed class AttemptCountingHandler : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<StrongBox<int>> Counter = new("ApartmentManager.Execution.Attempts");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Counter, out var counter))
        {
            Interlocked.Increment(ref counter.Value);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
