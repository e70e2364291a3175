using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Api.Http;

/// <summary>
/// One id follows a request through logs, problem bodies and downstream calls: the caller's x-correlation-id when it
/// is sane, a new one otherwise; echoed on the response.
/// </summary>
public static class CorrelationId
{
    public const string Header = "x-correlation-id";
    private const int MaxLength = 64;
    private static readonly object Key = new();

    public static string Get(HttpContext context) =>
        context.Items.TryGetValue(Key, out var id) && id is string s ? s : Establish(context);

    public static string Establish(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        var id = IsSane(incoming) ? incoming : Guid.NewGuid().ToString("N");
        context.Items[Key] = id;
        context.Response.Headers[Header] = id;
        return id;
    }

    // Header values end up in logs: refuse anything that could forge log lines or bloat them.
    private static bool IsSane(string value) =>
        value.Length is > 0 and <= MaxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}

/// <summary>Establishes the correlation id and opens a logging scope carrying it for the rest of the request.</summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var id = CorrelationId.Establish(context);
        using (logger.BeginScope("CorrelationId:{CorrelationId}", id))
        {
            await next(context);
        }
    }
}
