namespace ApartmentManager.Execution.Gateways;

/// <summary>Open a work order in the maintenance system.</summary>
/// <param name="Assignee">"in_house", "on_call", "vendor" or "office".</param>
/// <param name="Priority">"emergency", "high", "normal" or "low".</param>
public sealed record WorkOrderCommand(
    string RequestId,
    string Building,
    string Unit,
    string Category,
    string Priority,
    string Assignee,
    string Summary,
    DateTimeOffset? DueBy = null);

/// <summary>Send a message to a resident.</summary>
/// <param name="Channel">"email" or "sms".</param>
public sealed record NotificationCommand(string RequestId, string ResidentId, string Channel, string Subject, string Body)
{
    /// <summary>The longest body the notification gateways accept.</summary>
    public const int MaxBodyLength = 2000;
}

/// <summary>Post an entry to a resident's ledger.</summary>
/// <param name="EntryType">"credit" or "charge".</param>
public sealed record LedgerEntryCommand(string RequestId, string ResidentId, string EntryType, decimal Amount, string Currency, string Memo);

/// <summary>What a gateway returns: the external system's reference and how many HTTP attempts it took (1 for embedded).</summary>
public sealed record GatewayReceipt(string ExternalReference, int Attempts);

/// <summary>A gateway call failed for good (after its retries, or rejected outright).</summary>
public sealed class GatewayException(string message, int attempts, Exception? inner = null) : Exception(message, inner)
{
    public int Attempts { get; } = attempts;
}
