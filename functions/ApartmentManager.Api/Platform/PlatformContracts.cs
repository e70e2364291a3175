using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Webhooks;

namespace ApartmentManager.Api.Platform;

/// <summary>Body of POST /api/v1/admin/webhooks.</summary>
public sealed record CreateWebhookBody(string? Url, IReadOnlyList<string>? Events);

/// <summary>A subscription as the API shows it. <c>secret</c> is present only in the answer to its creation.</summary>
public sealed record WebhookResource(string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, string CreatedBy, string? Secret)
{
    public static WebhookResource From(WebhookSubscription s, bool withSecret = false) =>
        new(s.Id, s.Url.ToString(), s.Events, s.CreatedAt, s.CreatedBy, withSecret ? s.Secret : null);
}

public sealed record WebhookList(IReadOnlyList<WebhookResource> Items);

public sealed record DeliveryList(IReadOnlyList<WebhookDelivery> Items, string? ContinuationToken);

public sealed record AuditList(IReadOnlyList<AuditEntry> Items, string? ContinuationToken);
