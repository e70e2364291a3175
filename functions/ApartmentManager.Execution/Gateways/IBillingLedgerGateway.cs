namespace ApartmentManager.Execution.Gateways;

/// <summary>The billing ledger (credits and charges). Idempotent per key.</summary>
public interface IBillingLedgerGateway
{
    Task<GatewayReceipt> PostAsync(LedgerEntryCommand command, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Compensation: post the reversing entry of an earlier one.</summary>
    Task<GatewayReceipt> ReverseAsync(string externalReference, string reason, string idempotencyKey, CancellationToken cancellationToken = default);
}
