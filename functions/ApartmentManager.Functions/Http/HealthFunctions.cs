using ApartmentManager.Api.Health;
using ApartmentManager.Application.Ports;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ApartmentManager.Functions.Http;

/// <summary>Liveness and readiness, anonymous for the platform's probes (same handlers as the single-node host).</summary>
public sealed class HealthFunctions(IRequestStore store)
{
    [Function("HealthLive")]
    public static IResult Live(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/health")] HttpRequest req) =>
        HealthHandlers.Live();

    [Function("HealthReady")]
    public Task<IResult> Ready(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/health/ready")] HttpRequest req,
        CancellationToken ct) =>
        HealthHandlers.Ready(req.HttpContext, store, ct);
}
