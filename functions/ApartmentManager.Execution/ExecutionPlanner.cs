using System.Globalization;
using ApartmentManager.Decisions;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;
using ApartmentManager.Execution.Gateways;

namespace ApartmentManager.Execution;

/// <summary>
/// Turns a decided option into the side effects that carry it out. Steps are named "{optionId}:{what}", so the
/// same option executed twice maps to the same idempotency keys and does nothing new.
/// </summary>
public static class ExecutionPlanner
{
    public static ExecutionPlan ForOption(ResidentRequest request, string optionId, DecisionOptions policy)
    {
        ArgumentNullException.ThrowIfNull(request);
        var option = request.Options.FirstOrDefault(o => o.Id == optionId) ?? throw new UnknownOptionException(optionId);
        var classification = request.Classification
            ?? throw new RequestNotReadyException($"Request '{request.Id}' has not been classified.");
        string category = Snake(classification.Category.ToString());
        string priority = Snake(classification.Urgency.ToString());
        string channel = request.Channel == Channel.Sms ? "sms" : "email";
        var sla = policy.Sla.For(classification.Urgency);
        DateTimeOffset DueIn(double hours) => request.CreatedAt.AddHours(hours);

        WorkOrderCommand Order(string assignee, string summary, double dueHours) =>
            new(request.Id, request.Building, request.Unit, category, priority, assignee, summary, DueIn(dueHours));
        NotificationCommand Notice(string subject, string body) => new(request.Id, request.ResidentId, channel, subject, body);

        var actions = new List<ExecutionAction>(3);
        string step(string what) => $"{option.Id}:{what}";
        switch (option.Kind)
        {
            case OptionKinds.DispatchNow:
                actions.Add(new CreateWorkOrder(step("work_order"), Order("on_call", option.Title + ": " + request.Message, sla.OnSiteHours)));
                actions.Add(new SendNotification(step("notify"), Notice("A technician is on the way", option.Description)));
                break;
            case OptionKinds.ScheduleBySla:
            case OptionKinds.RepairWithChargeback:
                actions.Add(new CreateWorkOrder(step("work_order"), Order("in_house", option.Title + ": " + request.Message, sla.OnSiteHours)));
                actions.Add(new SendNotification(step("notify"), Notice("Your repair is scheduled", option.Description)));
                break;
            case OptionKinds.Vendor:
                actions.Add(new CreateWorkOrder(step("work_order"), Order("vendor", option.Title + ": " + request.Message, sla.OnSiteHours)));
                actions.Add(new SendNotification(step("notify"), Notice("A specialist is booked", option.Description)));
                break;
            case OptionKinds.SelfHelpFollowUp:
                actions.Add(new SendNotification(step("guidance"), Notice("Something you can try now", option.Description)));
                actions.Add(new CreateWorkOrder(step("follow_up"), Order(IsPhysical(classification.Category) ? "in_house" : "office",
                    "Follow up on self-help guidance: " + request.Message, policy.Simulation.SelfHelpFollowUpHours)));
                break;
            case OptionKinds.BillingCredit:
                // The option's own amount, fixed from the policy when it was generated — never a figure from the message.
                decimal amount = CreditAmount.Of(option, policy);
                actions.Add(new PostLedgerEntry(step("ledger"), new LedgerEntryCommand(request.Id, request.ResidentId, "credit",
                    amount, "USD", $"Goodwill credit for request {request.Id}")));
                actions.Add(new SendNotification(step("notify"), Notice("A credit was posted to your account",
                    string.Create(CultureInfo.InvariantCulture, $"We credited {amount:0.00} to your account."))));
                break;
            default:
                // Office work: ledger review, mediation letter, lease review, packages, amenities.
                actions.Add(new CreateWorkOrder(step("office_task"), Order("office", option.Title + ": " + request.Message, sla.ResponseHours)));
                actions.Add(new SendNotification(step("notify"), Notice("We are on it", option.Description)));
                break;
        }
        return new ExecutionPlan(request.Id, actions);
    }

    private static bool IsPhysical(Category c) => c is Category.Plumbing or Category.Electrical or Category.Hvac
        or Category.Appliance or Category.Pest or Category.Structural or Category.SecurityAccess;

    private static string Snake(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
