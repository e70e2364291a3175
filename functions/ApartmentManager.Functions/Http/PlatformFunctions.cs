using ApartmentManager.Api.Platform;
using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ApartmentManager.Functions.Http;

/// <summary>
/// Webhook subscriptions, the audit trail and privacy export / erasure: the shared handlers, one trigger per route.
/// Deliveries are sent by the <c>WebhookDispatchService</c> running in the worker (see the composition).
/// </summary>
public sealed class PlatformFunctions(WebhookService webhooks, AuditTrail audit, PrivacyService privacy)
{
    [Function("CreateWebhook")]
    public Task<IResult> CreateWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/webhooks")] HttpRequest req, CancellationToken ct) =>
        PlatformHandlers.CreateWebhook(req.HttpContext, webhooks, ct);

    [Function("ListWebhooks")]
    public Task<IResult> ListWebhooks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/webhooks")] HttpRequest req, CancellationToken ct) =>
        PlatformHandlers.ListWebhooks(req.HttpContext, webhooks, ct);

    [Function("GetWebhook")]
    public Task<IResult> GetWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/webhooks/{id}")] HttpRequest req, string id, CancellationToken ct) =>
        PlatformHandlers.GetWebhook(req.HttpContext, id, webhooks, ct);

    [Function("DeleteWebhook")]
    public Task<IResult> DeleteWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/admin/webhooks/{id}")] HttpRequest req, string id, CancellationToken ct) =>
        PlatformHandlers.DeleteWebhook(req.HttpContext, id, webhooks, ct);

    [Function("ListWebhookDeliveries")]
    public Task<IResult> Deliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/webhooks/{id}/deliveries")] HttpRequest req, string id, CancellationToken ct) =>
        PlatformHandlers.Deliveries(req.HttpContext, id, webhooks, ct);

    [Function("RedeliverWebhook")]
    public Task<IResult> Redeliver(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/webhooks/{id}/deliveries/{deliveryId}/redeliver")] HttpRequest req,
        string id, string deliveryId, CancellationToken ct) =>
        PlatformHandlers.Redeliver(req.HttpContext, id, deliveryId, webhooks, ct);

    [Function("ListAudit")]
    public Task<IResult> Audit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/audit")] HttpRequest req, CancellationToken ct) =>
        PlatformHandlers.Audit(req.HttpContext, audit, ct);

    [Function("ExportResident")]
    public Task<IResult> Export(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/residents/{residentId}/export")] HttpRequest req, string residentId, CancellationToken ct) =>
        PlatformHandlers.Export(req.HttpContext, residentId, privacy, ct);

    [Function("EraseResident")]
    public Task<IResult> Erase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/residents/{residentId}")] HttpRequest req, string residentId, CancellationToken ct) =>
        PlatformHandlers.Erase(req.HttpContext, residentId, privacy, ct);
}
