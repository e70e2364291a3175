using ApartmentManager.Execution.Gateways;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Execution.Webhooks;

public sealed class WebhookWorkOrderGateway(WebhookClient client, IOptionsMonitor<ExecutionOptions> options) : IWorkOrderGateway
{
    public const string ClientName = "webhook-work-orders";

    public Task<GatewayReceipt> CreateAsync(WorkOrderCommand command, string idempotencyKey, CancellationToken cancellationToken = default) =>
        client.PostAsync(ClientName, options.CurrentValue.Webhook.WorkOrdersUrl, "work_order.create", idempotencyKey, command,
            References.For("WO", idempotencyKey), cancellationToken);

    public Task<GatewayReceipt> CancelAsync(string externalReference, string reason, string idempotencyKey, CancellationToken cancellationToken = default) =>
        client.PostAsync(ClientName, options.CurrentValue.Webhook.WorkOrdersUrl, "work_order.cancel", idempotencyKey,
            new ReferenceChange(externalReference, reason), externalReference, cancellationToken);
}

public sealed class WebhookNotificationGateway(WebhookClient client, IOptionsMonitor<ExecutionOptions> options) : INotificationGateway
{
    public const string ClientName = "webhook-notifications";

    public Task<GatewayReceipt> SendAsync(NotificationCommand command, string idempotencyKey, CancellationToken cancellationToken = default) =>
        client.PostAsync(ClientName, options.CurrentValue.Webhook.NotificationsUrl, "notification.send", idempotencyKey, command,
            References.For("NT", idempotencyKey), cancellationToken);
}

public sealed class WebhookBillingLedgerGateway(WebhookClient client, IOptionsMonitor<ExecutionOptions> options) : IBillingLedgerGateway
{
    public const string ClientName = "webhook-ledger";

    public Task<GatewayReceipt> PostAsync(LedgerEntryCommand command, string idempotencyKey, CancellationToken cancellationToken = default) =>
        client.PostAsync(ClientName, options.CurrentValue.Webhook.LedgerUrl, "ledger_entry.post", idempotencyKey, command,
            References.For("LE", idempotencyKey), cancellationToken);

    public Task<GatewayReceipt> ReverseAsync(string externalReference, string reason, string idempotencyKey, CancellationToken cancellationToken = default) =>
        client.PostAsync(ClientName, options.CurrentValue.Webhook.LedgerUrl, "ledger_entry.reverse", idempotencyKey,
            new ReferenceChange(externalReference, reason), References.For("LE", idempotencyKey), cancellationToken);
}

/// <summary>Payload of a compensation: which earlier record to cancel or reverse, and why.</summary>
public sealed record ReferenceChange(string Reference, string Reason);
