using System.Security.Cryptography;
using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;

namespace ApartmentManager.Application.Webhooks;

/// <summary>The admin use cases over webhook subscriptions. Every change is audited.</summary>
public sealed class WebhookService(IWebhookStore store, AuditTrail audit, TimeProvider clock)
{
    public const int MaxEventPatterns = 50;
    public const string TargetType = "webhook";

    public async Task<WebhookSubscription> CreateAsync(Caller caller, string? url, IReadOnlyList<string>? events, CancellationToken ct)
    {
        RequireAdmin(caller);
        var errors = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var target)
            || !(target.Scheme == Uri.UriSchemeHttps || (target.Scheme == Uri.UriSchemeHttp && target.IsLoopback))
            || !string.IsNullOrEmpty(target.UserInfo))
        {
            errors["url"] = ["An absolute https URL (plain http only on loopback), without credentials in it."];
        }
        var patterns = (events ?? []).Select(e => e?.Trim() ?? "").Where(e => e.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (patterns.Count is 0 or > MaxEventPatterns || patterns.Any(p => !IsValidPattern(p)))
        {
            errors["events"] = [$"1 to {MaxEventPatterns} event types such as 'request.decided', a prefix such as 'request.*', or '*'."];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        var subscription = new WebhookSubscription("whk_" + Guid.NewGuid().ToString("N"), target!, patterns, NewSecret(), clock.GetUtcNow(), caller.Actor);
        await store.CreateAsync(subscription, ct);
        await audit.RecordAsync(caller, AuditActions.WebhookCreated, TargetType, subscription.Id, null,
            $"{subscription.Url} for {string.Join(",", patterns)}", ct);
        return subscription;
    }

    public Task<IReadOnlyList<WebhookSubscription>> ListAsync(Caller caller, CancellationToken ct)
    {
        RequireAdmin(caller);
        return store.ListAsync(ct);
    }

    public async Task<WebhookSubscription> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        RequireAdmin(caller);
        return await store.GetAsync(id, ct) ?? throw new RequestNotFoundException($"webhook/{id}");
    }

    public async Task DeleteAsync(Caller caller, string id, CancellationToken ct)
    {
        var existing = await GetAsync(caller, id, ct);
        if (await store.DeleteAsync(id, ct))
        {
            await audit.RecordAsync(caller, AuditActions.WebhookDeleted, TargetType, id, $"{existing.Url} for {string.Join(",", existing.Events)}", null, ct);
        }
    }

    public async Task<Page<WebhookDelivery>> DeliveriesAsync(Caller caller, string id, DeliveryStatus? status, int limit, string? token, CancellationToken ct)
    {
        await GetAsync(caller, id, ct);
        return await store.DeliveriesAsync(id, status, limit, token, ct);
    }

    public async Task<WebhookDelivery> RedeliverAsync(Caller caller, string id, string deliveryId, CancellationToken ct)
    {
        await GetAsync(caller, id, ct);
        var delivery = await store.RedeliverAsync(id, deliveryId, clock.GetUtcNow(), ct)
            ?? throw new RequestNotFoundException($"webhook/{id}/deliveries/{deliveryId}");
        await audit.RecordAsync(caller, AuditActions.WebhookRedelivered, "webhook_delivery", deliveryId, null, $"pending again ({delivery.EventId})", ct);
        return delivery;
    }

    /// <summary>A type (<c>request.decided</c>), a prefix (<c>request.*</c>) or <c>*</c>; lower-case letters, digits, '_' and '.'.</summary>
    public static bool IsValidPattern(string pattern) =>
        pattern == "*"
        || (pattern.Length <= 100 && pattern.StartsWith(RequestEvents.Prefix, StringComparison.Ordinal)
            && (pattern.EndsWith(".*", StringComparison.Ordinal) ? pattern[..^2] : pattern)
                .All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.'));

    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Webhook subscriptions need the admin role.");
        }
    }
}
