using System.Text.Json;
using ApartmentManager.Api.Http;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using ApartmentManager.Domain;
using Microsoft.AspNetCore.Http;

namespace ApartmentManager.Api.Requests;

/// <summary>
/// The request-lifecycle routes. Each handler only translates HTTP to a <see cref="RequestService"/> call and back,
/// so the single-node host and the Functions app answer identically.
/// </summary>
public static class RequestHandlers
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int MaxIdempotencyKeyLength = 255;

    public static Task<IResult> Create(HttpContext context, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var key = context.Request.Headers[IdempotencyKeyHeader].ToString();
            if (key.Length > MaxIdempotencyKeyLength || key.Any(char.IsControl))
            {
                throw new ValidationFailedException(new Dictionary<string, string[]>
                {
                    [IdempotencyKeyHeader] = [$"An Idempotency-Key has at most {MaxIdempotencyKeyLength} printable characters."],
                });
            }
            if (!caller.IsResident)
            {
                throw new ForbiddenException("Only residents create requests; the resident is taken from the token's subject.");
            }
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.CreateRequestBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var result = await service.CreateAsync(caller, RequestValidation.ToNewRequest(body.Value!), key.Length == 0 ? null : key, ct);
            if (result.Replayed)
            {
                context.Response.Headers["Idempotent-Replayed"] = "true";
            }
            return Resource(context, result.Request, StatusCodes.Status201Created, location: $"/api/v1/requests/{result.Request.Value.Id}");
        });

    public static Task<IResult> Get(HttpContext context, string id, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller => Resource(context, await service.GetAsync(caller, id, ct)));

    public static Task<IResult> List(HttpContext context, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
            Listing(caller, await service.ListAsync(caller, RequestValidation.ToQuery(context.Request.Query), ct)));

    public static Task<IResult> ListForResident(HttpContext context, string residentId, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
            Listing(caller, await service.ListForResidentAsync(caller, residentId, RequestValidation.ToQuery(context.Request.Query), ct)));

    public static Task<IResult> ChangeStatus(HttpContext context, string id, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            if (!caller.IsAdmin)
            {
                throw new ForbiddenException("Changing a request's status needs the admin role.");
            }
            var ifMatch = context.Request.Headers.IfMatch.ToString();
            if (string.IsNullOrWhiteSpace(ifMatch))
            {
                throw new PreconditionRequiredException();
            }
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.StatusChangeBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var (status, note) = RequestValidation.ToStatusChange(body.Value!);
            return Resource(context, await service.ChangeStatusAsync(caller, id, status, note, ifMatch.Trim(), ct));
        });

    public static Task<IResult> SelectOption(HttpContext context, string id, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.SelectOptionBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            return Resource(context, await service.SelectOptionAsync(caller, id, RequestValidation.ToOptionId(body.Value!), ct));
        });

    public static Task<IResult> Resolve(HttpContext context, string id, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.ResolveBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var (outcome, rating) = RequestValidation.ToResolution(body.Value!);
            return Resource(context, await service.ResolveAsync(caller, id, outcome, rating, ct));
        });

    /// <summary>A single request with its ETag header (the value to send back in If-Match).</summary>
    public static IResult Resource(HttpContext context, Versioned<ResidentRequest> request, int status = StatusCodes.Status200OK, string? location = null)
    {
        context.Response.Headers.ETag = request.ETag;
        if (location is not null)
        {
            context.Response.Headers.Location = location;
        }
        var caller = Caller.From(context.User);
        var view = caller is null ? RequestResource.ResidentView(request.Value) : RequestResource.For(caller, request.Value);
        return TypedResults.Json(view, ApiJsonContext.Default.RequestResource, statusCode: status);
    }

    private static IResult Listing(Caller caller, Page<ResidentRequest> page) =>
        TypedResults.Json(new RequestList([.. page.Items.Select(r => RequestResource.For(caller, r))], page.ContinuationToken), ApiJsonContext.Default.RequestList);
}
