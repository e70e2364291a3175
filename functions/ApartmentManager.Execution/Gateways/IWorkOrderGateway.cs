namespace ApartmentManager.Execution.Gateways;

/// <summary>The maintenance system. Both calls are idempotent per key: repeating one does nothing new.</summary>
public interface IWorkOrderGateway
{
    Task<GatewayReceipt> CreateAsync(WorkOrderCommand command, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Compensation: cancel an order created earlier.</summary>
    Task<GatewayReceipt> CancelAsync(string externalReference, string reason, string idempotencyKey, CancellationToken cancellationToken = default);
}
