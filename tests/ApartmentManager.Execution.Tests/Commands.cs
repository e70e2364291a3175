using ApartmentManager.Execution.Gateways;

namespace ApartmentManager.Execution.Tests;

internal static class Commands
{
    public static CreateWorkOrder WorkOrder(string step = "dispatch_now:work_order", string requestId = "req-1") =>
        new(step, new WorkOrderCommand(requestId, "B1", "4A", "plumbing", "emergency", "on_call", "Burst pipe under the sink"));

    public static SendNotification Notice(string step = "dispatch_now:notify", string requestId = "req-1") =>
        new(step, new NotificationCommand(requestId, "res-1", "sms", "On the way", "A technician is on the way."));

    public static PostLedgerEntry Credit(string step = "billing_credit:ledger", string requestId = "req-1", decimal amount = 40m) =>
        new(step, new LedgerEntryCommand(requestId, "res-1", "credit", amount, "USD", "Goodwill credit"));
}
