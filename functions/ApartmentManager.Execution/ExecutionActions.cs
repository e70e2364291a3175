using ApartmentManager.Domain;
using ApartmentManager.Execution.Gateways;

namespace ApartmentManager.Execution;

/// <summary>One side effect of a plan. <paramref name="Step"/> names it within the request; with the request id it makes the idempotency key.</summary>
public abstract record ExecutionAction(string Step)
{
    public abstract string Action { get; }
    public abstract string Gateway { get; }

    /// <summary>What is wrong with the command, or null. The executor refuses invalid actions with an <see cref="ArgumentException"/> (a 400).</summary>
    public abstract string? Problem();

    private protected static bool Missing(string? value) => string.IsNullOrWhiteSpace(value);
}

public sealed record CreateWorkOrder(string Step, WorkOrderCommand Command) : ExecutionAction(Step)
{
    public override string Action => "create_work_order";
    public override string Gateway => GatewayNames.WorkOrders;

    public override string? Problem() =>
        Missing(Command.Building) || Missing(Command.Unit) ? "A work order needs a building and a unit."
        : Command.Priority is not ("emergency" or "high" or "normal" or "low") ? "Work order priority must be emergency, high, normal or low."
        : Command.Assignee is not ("in_house" or "on_call" or "vendor" or "office") ? "Work order assignee must be in_house, on_call, vendor or office."
        : Missing(Command.Summary) ? "A work order needs a summary." : null;
}

public sealed record SendNotification(string Step, NotificationCommand Command) : ExecutionAction(Step)
{
    public override string Action => "send_notification";
    public override string Gateway => GatewayNames.Notifications;

    public override string? Problem() =>
        Command.Channel is not ("email" or "sms") ? "Notification channel must be email or sms."
        : Missing(Command.ResidentId) ? "A notification needs a resident."
        : Missing(Command.Body) ? "A notification needs a body."
        : Command.Body.Length > NotificationCommand.MaxBodyLength ? $"A notification body is at most {NotificationCommand.MaxBodyLength} characters." : null;
}

public sealed record PostLedgerEntry(string Step, LedgerEntryCommand Command) : ExecutionAction(Step)
{
    public override string Action => "post_ledger_entry";
    public override string Gateway => GatewayNames.BillingLedger;

    public override string? Problem() =>
        Command.EntryType is not ("credit" or "charge") ? "Ledger entry type must be credit or charge."
        : Command.Amount <= 0 || Command.Amount > 100_000m ? "Ledger amount must be positive and at most 100000."
        : decimal.Round(Command.Amount, 2) != Command.Amount ? "Ledger amount has at most two decimals."
        : Missing(Command.ResidentId) ? "A ledger entry needs a resident."
        : Command.Currency is not { Length: 3 } ? "Currency is a three-letter ISO code." : null;
}

/// <summary>The actions that carry out one decision, run in order; a failure stops the plan and compensates what ran.</summary>
public sealed record ExecutionPlan(string RequestId, IReadOnlyList<ExecutionAction> Actions);

/// <summary>What happened to a plan. <see cref="Records"/> are in plan order, then the compensations that ran.</summary>
public sealed record ExecutionResult(string RequestId, ExecutionStatus Status, IReadOnlyList<ExecutionRecord> Records, string? Error);

/// <summary>Gateway names as stored in <c>ExecutionRecord.Gateway</c>.</summary>
public static class GatewayNames
{
    public const string WorkOrders = "work_orders";
    public const string Notifications = "notifications";
    public const string BillingLedger = "billing_ledger";
}
