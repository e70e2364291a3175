using System.Globalization;
using System.Threading.RateLimiting;
using ApartmentManager.Application.Requests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Api.Http;

/// <summary>Per-caller limits (configuration section <c>Limits</c>). Each limit counts per token subject and, separately, per client address.</summary>
public sealed class CallerLimitOptions
{
    public const string Section = "Limits";

    /// <summary>Off only for benchmarks and load tests that drive one subject from one address.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Writes (POST, PUT, DELETE under /api/v1, agents aside) per minute per subject.</summary>
    public int WritesPerMinutePerSubject { get; set; } = 60;

    /// <summary>Writes per minute per client address (many subjects behind one address add up here).</summary>
    public int WritesPerMinutePerAddress { get; set; } = 600;

    /// <summary>Agent calls (classify, predict-risk, retrieve, simulate, decide, execute, notify) per minute per subject.</summary>
    public int AgentCallsPerMinutePerSubject { get; set; } = 120;

    /// <summary>Agent calls per minute per client address.</summary>
    public int AgentCallsPerMinutePerAddress { get; set; } = 1200;

    /// <summary>The most simulation runs a resident may ask <c>/simulate</c> or <c>/decide</c> for (admins: the simulator's own cap).</summary>
    public int ResidentMaxSimulationRuns { get; set; } = 5000;

    /// <summary>The most items a resident may send in one batch to <c>/classify</c> or <c>/predict-risk</c> (admins: 64).</summary>
    public int ResidentMaxBatchSize { get; set; } = 8;

    public static CallerLimitOptions Of(HttpContext context) =>
        context.RequestServices.GetService<IOptions<CallerLimitOptions>>()?.Value ?? new CallerLimitOptions();
}

/// <summary>Route metadata: which per-caller limit a route counts against.</summary>
public sealed record CallerLimit(string Kind)
{
    public const string Writes = "writes", Agents = "agents";
}

/// <summary>
/// Per-caller limits per subject and per address: fixed one-minute windows, no queueing; a refused call is a 429
/// problem+json with <c>Retry-After</c>. Both hosts use the same limiter: single node through ASP.NET Core rate limiting,
/// the Functions app through its worker middleware, behind API Management's own per-subject limit.
/// </summary>
public static class CallerLimits
{
    /// <summary><c>HttpContext.Items</c> key a host sets when it knows the limit a call counts against and has no endpoint metadata (the Functions app).</summary>
    public const string KindItem = "am.caller-limit";

    /// <summary>The <c>Limits</c> options, bound and validated at start (both hosts: the handlers read the residents' caps from them).</summary>
    public static IServiceCollection AddCallerLimitOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CallerLimitOptions>()
            .Bind(configuration.GetSection(CallerLimitOptions.Section))
            .Validate(o => o.WritesPerMinutePerSubject > 0 && o.WritesPerMinutePerAddress > 0 && o.AgentCallsPerMinutePerSubject > 0
                && o.AgentCallsPerMinutePerAddress > 0 && o.ResidentMaxSimulationRuns > 0 && o.ResidentMaxBatchSize > 0,
                "Every Limits:* value must be positive.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>The single-node host: ASP.NET Core rate limiting over <see cref="Create"/>, keyed on the connection's address.</summary>
    public static IServiceCollection AddCallerLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCallerLimitOptions(configuration);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<CallerLimitOptions>>((o, limits) =>
        {
            o.GlobalLimiter = Create(limits.Value, context => context.Connection.RemoteIpAddress?.ToString());
            o.OnRejected = (rejected, _) => new ValueTask(RejectAsync(rejected.HttpContext, rejected.Lease));
        });
        return services;
    }

    /// <summary>
    /// The per-caller limiter: a call counts against its kind's limit per token subject and, chained, per client
    /// address (<paramref name="addressOf"/>: the connection's in single node, the client's as API Management forwards it
    /// in Azure). Fixed one-minute windows, no queueing. In memory: each process (each Functions instance) counts its own.
    /// </summary>
    public static PartitionedRateLimiter<HttpContext> Create(CallerLimitOptions limits, Func<HttpContext, string?> addressOf) =>
        PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, limits, Caller.From(context.User)?.Subject, bySubject: true)),
            PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, limits, addressOf(context), bySubject: false)));

    /// <summary>A refused call: 429 problem+json with <c>Retry-After</c> in whole seconds.</summary>
    public static Task RejectAsync(HttpContext context, RateLimitLease lease)
    {
        var after = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests,
            $"Too many calls from you; try again in {seconds} s.", "rate-limited");
    }

    /// <summary>Counts the route against the per-caller limit of <paramref name="kind"/>.</summary>
    public static TBuilder WithCallerLimit<TBuilder>(this TBuilder builder, string kind) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CallerLimit(kind));

    /// <summary>Which limit a call counts against: the host's <see cref="KindItem"/> or the route's <see cref="CallerLimit"/>, else any write under the API.</summary>
    internal static string? KindOf(HttpContext context)
    {
        if (context.Items.TryGetValue(KindItem, out var item) && item is string kind)
        {
            return kind;
        }
        if (context.GetEndpoint()?.Metadata.GetMetadata<CallerLimit>() is { } limit)
        {
            return limit.Kind;
        }
        return !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
            && context.Request.Path.StartsWithSegments(ApiEndpoints.Prefix, StringComparison.OrdinalIgnoreCase)
            ? CallerLimit.Writes
            : null;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, CallerLimitOptions l, string? who, bool bySubject)
    {
        var kind = l.Enabled ? KindOf(context) : null;
        if (kind is null || string.IsNullOrEmpty(who))
        {
            return RateLimitPartition.GetNoLimiter("");
        }
        var permits = (kind, bySubject) switch
        {
            (CallerLimit.Agents, true) => l.AgentCallsPerMinutePerSubject,
            (CallerLimit.Agents, false) => l.AgentCallsPerMinutePerAddress,
            (_, true) => l.WritesPerMinutePerSubject,
            _ => l.WritesPerMinutePerAddress,
        };
        return RateLimitPartition.GetFixedWindowLimiter($"{kind}|{(bySubject ? "sub" : "addr")}|{who}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
