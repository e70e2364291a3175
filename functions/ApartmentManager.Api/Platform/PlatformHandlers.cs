using ApartmentManager.Api.Http;
using ApartmentManager.Api.Requests;
using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Requests;
using ApartmentManager.Application.Webhooks;
using ApartmentManager.Domain;
using Microsoft.AspNetCore.Http;

namespace ApartmentManager.Api.Platform;

/// <summary>Admin routes for webhook subscriptions and the audit trail; privacy export and erasure.</summary>
public static class PlatformHandlers
{
    public static Task<IResult> CreateWebhook(HttpContext context, WebhookService webhooks, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            RequireAdmin(caller);
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.CreateWebhookBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var created = await webhooks.CreateAsync(caller, body.Value!.Url, body.Value.Events, ct);
            return TypedResults.Json(WebhookResource.From(created, withSecret: true), ApiJsonContext.Default.WebhookResource,
                statusCode: StatusCodes.Status201Created);
        });

    public static Task<IResult> ListWebhooks(HttpContext context, WebhookService webhooks, CancellationToken ct) =>
        ApiHandler.Run(context, async caller => TypedResults.Json(
            new WebhookList([.. (await webhooks.ListAsync(caller, ct)).Select(s => WebhookResource.From(s))]), ApiJsonContext.Default.WebhookList));

    public static Task<IResult> GetWebhook(HttpContext context, string id, WebhookService webhooks, CancellationToken ct) =>
        ApiHandler.Run(context, async caller => TypedResults.Json(WebhookResource.From(await webhooks.GetAsync(caller, id, ct)), ApiJsonContext.Default.WebhookResource));

    public static Task<IResult> DeleteWebhook(HttpContext context, string id, WebhookService webhooks, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            await webhooks.DeleteAsync(caller, id, ct);
            return TypedResults.NoContent();
        });

    public static Task<IResult> Deliveries(HttpContext context, string id, WebhookService webhooks, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            RequireAdmin(caller);
            var errors = new Dictionary<string, List<string>>();
            var paging = Paging(errors, context.Request.Query);
            DeliveryStatus? status = null;
            if (RequestValidation.Text(context.Request.Query, "status") is { } text)
            {
                if (Names.TryParse<DeliveryStatus>(text, out var parsed))
                {
                    status = parsed;
                }
                else
                {
                    RequestValidation.Add(errors, "status", $"status must be one of {string.Join(", ", Names.All<DeliveryStatus>())}.");
                }
            }
            ValidationFailedException.ThrowIfAny(errors);
            var page = await webhooks.DeliveriesAsync(caller, id, status, paging.Limit, paging.Token, ct);
            return TypedResults.Json(new DeliveryList(page.Items, page.ContinuationToken), ApiJsonContext.Default.DeliveryList);
        });

    public static Task<IResult> Redeliver(HttpContext context, string id, string deliveryId, WebhookService webhooks, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
            TypedResults.Json(await webhooks.RedeliverAsync(caller, id, deliveryId, ct), ApiJsonContext.Default.WebhookDelivery,
                statusCode: StatusCodes.Status202Accepted));

    public static Task<IResult> Audit(HttpContext context, AuditTrail audit, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            RequireAdmin(caller);
            var q = context.Request.Query;
            var errors = new Dictionary<string, List<string>>();
            var paging = Paging(errors, q);
            var query = new AuditQuery
            {
                Actor = RequestValidation.Text(q, "actor"),
                Action = RequestValidation.Text(q, "action"),
                TargetType = RequestValidation.Text(q, "targetType"),
                TargetId = RequestValidation.Text(q, "targetId"),
                From = RequestValidation.Time(errors, q, "from", "from"),
                To = RequestValidation.Time(errors, q, "to", "to"),
                Limit = paging.Limit,
                ContinuationToken = paging.Token,
            };
            if (query.From > query.To)
            {
                RequestValidation.Add(errors, "from", "from is after to.");
            }
            ValidationFailedException.ThrowIfAny(errors);
            var page = await audit.QueryAsync(caller, query, ct);
            return TypedResults.Json(new AuditList(page.Items, page.ContinuationToken), ApiJsonContext.Default.AuditList);
        });

    public static Task<IResult> Export(HttpContext context, string residentId, PrivacyService privacy, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
            TypedResults.Json(await privacy.ExportAsync(caller, residentId, ct), ApiJsonContext.Default.ResidentExport));

    public static Task<IResult> Erase(HttpContext context, string residentId, PrivacyService privacy, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
            TypedResults.Json(await privacy.EraseAsync(caller, residentId, ct), ApiJsonContext.Default.ErasureResult));

    private static (int Limit, string? Token) Paging(Dictionary<string, List<string>> errors, IQueryCollection q)
    {
        var limit = RequestValidation.DefaultLimit;
        if (RequestValidation.Text(q, "limit") is { } text)
        {
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit)
                || limit is < 1 or > RequestValidation.MaxLimit)
            {
                RequestValidation.Add(errors, "limit", $"limit is a whole number from 1 to {RequestValidation.MaxLimit}.");
            }
        }
        var token = RequestValidation.Text(q, "continuationToken");
        if (token is { Length: > 512 })
        {
            RequestValidation.Add(errors, "continuationToken", "The continuation token is too long to be one this API issued.");
        }
        return (limit, token);
    }

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("This operation needs the admin role.");
        }
    }
}
