namespace ApartmentManager.Execution.Gateways;

/// <summary>Email and SMS. A sent message cannot be recalled, so notifications have no compensation.</summary>
public interface INotificationGateway
{
    Task<GatewayReceipt> SendAsync(NotificationCommand command, string idempotencyKey, CancellationToken cancellationToken = default);
}
