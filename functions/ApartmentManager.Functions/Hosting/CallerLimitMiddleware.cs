using System.Threading.RateLimiting;
using ApartmentManager.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Functions.Hosting;

/// <summary>
/// The single-node host's per-caller limits in the Functions app, for what API Management does not enforce: its policy
/// limits each token subject's calls in total (<c>infra/policies/api.xml</c>), not writes and agent calls separately,
/// and not per client address. This applies the shared limiter (<see cref="CallerLimits.Create"/>, section
/// <c>Limits</c>) to HTTP invocations: agent functions count as agent calls, other writes under <c>/api/v1</c> as writes;
/// the address is the client's as API Management forwards it (<c>X-Forwarded-For</c>; the app accepts traffic from API
/// Management only). The residents' caps (simulation runs, batch sizes) are the shared handlers' and read the same
/// bound options; the per-subject LLM budget is the shared classifier's. Counts are per instance.
/// </summary>
public sealed class CallerLimitMiddleware(IOptions<CallerLimitOptions> options) : IFunctionsWorkerMiddleware, IDisposable
{
    /// <summary>Functions whose names start with this are the agent routes (see <c>AgentFunctions</c>).</summary>
    public const string AgentFunctionPrefix = "Agent";

    private readonly PartitionedRateLimiter<HttpContext> _limiter = CallerLimits.Create(options.Value, ClientAddress);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (!options.Value.Enabled || context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }
        if (context.FunctionDefinition?.Name is { } name && name.StartsWith(AgentFunctionPrefix, StringComparison.Ordinal))
        {
            http.Items[CallerLimits.KindItem] = CallerLimit.Agents;
        }
        using var lease = await _limiter.AcquireAsync(http, 1, context.CancellationToken);
        if (!lease.IsAcquired)
        {
            await CallerLimits.RejectAsync(http, lease);
            return;
        }
        await next(context);
    }

    /// <summary>The first address of <c>X-Forwarded-For</c> (the client, as API Management saw it), else the connection's.</summary>
    public static string? ClientAddress(HttpContext http)
    {
        var forwarded = http.Request.Headers["X-Forwarded-For"].ToString();
        if (forwarded.Length > 0)
        {
            var first = forwarded.Split(',')[0].Trim();
            // API Management may append the port (IPv4 "1.2.3.4:5678"); the address alone is the key.
            if (System.Net.IPEndPoint.TryParse(first, out var endpoint))
            {
                return endpoint.Address.ToString();
            }
        }
        return http.Connection.RemoteIpAddress?.ToString();
    }

    public void Dispose() => _limiter.Dispose();
}
