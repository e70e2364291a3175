using ApartmentManager.Api.Http;
using ApartmentManager.Application.Ports;
using Microsoft.AspNetCore.Http;

namespace ApartmentManager.Api.Health;

/// <summary>Liveness (the process answers) and readiness (the store answers). Anonymous, for probes.</summary>
public static class HealthHandlers
{
    public static IResult Live() => TypedResults.Json(new HealthReport("live"), ApiJsonContext.Default.HealthReport);

    public static async Task<IResult> Ready(HttpContext context, IRequestStore store, CancellationToken ct)
    {
        bool reachable;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            reachable = await store.IsReachableAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            reachable = false;
        }
        return reachable
            ? TypedResults.Json(new HealthReport("ready"), ApiJsonContext.Default.HealthReport)
            : Problems.Create(context, 503, "The request store is not reachable.", "not-ready");
    }
}
