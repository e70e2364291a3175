using System.Text.Json;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using ApartmentManager.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ApartmentManager.Api.Http;

/// <summary>Every error the API returns is application/problem+json built here.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";
    private const string TypeBase = "https://apartment-manager.dev/problems/";

    public static IResult Create(HttpContext context, int status, string detail, string? type = null,
        IReadOnlyDictionary<string, string[]>? errors = null) =>
        new ProblemResult(Body(context, status, detail, type, errors));

    public static ProblemBody Body(HttpContext context, int status, string detail, string? type = null,
        IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(TypeBase + (type ?? Slug(status)), ReasonPhrases.GetReasonPhrase(status), status, detail,
            context.Request.Path.Value, CorrelationId.Get(context), errors);

    public static IResult Validation(HttpContext context, IReadOnlyDictionary<string, string[]> errors) =>
        Create(context, StatusCodes.Status400BadRequest,
            "The request has invalid fields: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
            "validation", errors);

    /// <summary>Maps what the application layer throws to the HTTP answer; anything unknown is rethrown (a bug, logged as 500).</summary>
    public static IResult? FromException(HttpContext context, Exception exception) => exception switch
    {
        ValidationFailedException v => Validation(context, v.Errors),
        RequestNotFoundException n => Create(context, 404, n.Message, "not-found"),
        ApartmentManager.Learning.UnknownParameterSetException u => Create(context, 404, u.Message, "not-found"),
        ForbiddenException f => Create(context, 403, f.Message, "forbidden"),
        PreconditionRequiredException p => Create(context, 428, p.Message, "precondition-required"),
        ConcurrencyConflictException c => Create(context, 412, c.Message + " The If-Match ETag is stale.", "stale-etag"),
        IdempotencyKeyReusedException i => Create(context, 409, i.Message, "idempotency-key-reused"),
        InvalidContinuationTokenException t => Validation(context, new Dictionary<string, string[]> { ["continuationToken"] = [t.Message] }),
        UnknownOptionException u => Create(context, 409, u.Message, "unknown-option"),
        OptionForbiddenException o => Create(context, 409, o.Message, "option-forbidden"),
        InvalidTransitionException t => Create(context, 409, t.Message, "invalid-transition"),
        DomainException d => Create(context, 409, d.Message, "conflict"),
        BadHttpRequestException b => Create(context, b.StatusCode, b.Message),
        ApartmentManager.Execution.InvalidExecutionPlanException x => Create(context, 422, x.Message, "invalid-action"),
        ApartmentManager.Decisions.InvalidSimulationSettingsException s => Validation(context, s.Errors),
        _ => null,
    };

    /// <summary>Writes a problem for a status produced outside the handlers (unknown route, wrong method, auth challenge).</summary>
    public static Task WriteAsync(HttpContext context, int status, string detail, string? type = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        return JsonSerializer.SerializeAsync(context.Response.Body, Body(context, status, detail, type), ApiJsonContext.Default.ProblemBody);
    }

    public static string DefaultDetail(int status) => status switch
    {
        401 => "A valid bearer token is required. Mint one for development with the single-node host's `token` command.",
        403 => "Your token does not carry the role this operation needs.",
        404 => "There is no resource at this address.",
        405 => "This resource does not support that HTTP method.",
        413 => "The request body is larger than the 64 KB limit.",
        415 => "Send JSON with Content-Type: application/json.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };

    private static string Slug(int status) => ReasonPhrases.GetReasonPhrase(status).ToLowerInvariant().Replace(' ', '-');

    private sealed class ProblemResult(ProblemBody body) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
    {
        public int? StatusCode => body.Status;
        public string ContentType => Problems.ContentType;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = body.Status;
            httpContext.Response.ContentType = Problems.ContentType;
            if (body.Status == 401)
            {
                httpContext.Response.Headers.WWWAuthenticate = "Bearer";
            }
            return JsonSerializer.SerializeAsync(httpContext.Response.Body, body, ApiJsonContext.Default.ProblemBody);
        }
    }
}
