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
    /// <param name="round">0 for the first dispatch; n after the n-th reopening: new actions (their own idempotency keys),
    /// urgency raised n levels, due times counted from the reopening.</param>
    public static ExecutionPlan ForOption(ResidentRequest request, string optionId, DecisionOptions policy, int round = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        var option = request.Options.FirstOrDefault(o => o.Id == optionId) ?? throw new UnknownOptionException(optionId);
        var classification = request.Classification
            ?? throw new RequestNotReadyException($"Request '{request.Id}' has not been classified.");
        string category = Snake(classification.Category.ToString());
        var urgency = UrgencyFor(classification.Urgency, round);
        string priority = Snake(urgency.ToString());
        string channel = request.Channel == Channel.Sms ? "sms" : "email";
        var sla = policy.Sla.For(urgency);
        var start = RoundStart(request, round);
        DateTimeOffset DueIn(double hours) => start.AddHours(hours);

        WorkOrderCommand Order(string assignee, string summary, double dueHours) =>
            new(request.Id, request.Building, request.Unit, category, priority, assignee, summary, DueIn(dueHours));
        NotificationCommand Notice(string subject, string body) => new(request.Id, request.ResidentId, channel, subject, body);

        var actions = new List<ExecutionAction>(3);
        string step(string what) => round == 0 ? $"{option.Id}:{what}" : $"{option.Id}:r{round}:{what}";
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
            {
                // The amount the ledger review found wrong, else the option's own amount fixed from the policy when it
                // was generated — never a figure from the message.
                decimal amount = CreditAmount.Of(request, option, policy);
                bool verified = request.Finding is { ChargeWrong: true };
                actions.Add(new PostLedgerEntry(step("ledger"), new LedgerEntryCommand(request.Id, request.ResidentId, "credit",
                    amount, "USD", verified ? $"Correction of a charge the ledger review of request {request.Id} found wrong" : $"Goodwill credit for request {request.Id}")));
                actions.Add(new SendNotification(step("notify"), Notice("A credit was posted to your account", verified
                    ? string.Create(CultureInfo.InvariantCulture, $"Our ledger review found the charge wrong: we credited {amount:0.00} to your account.")
                    : string.Create(CultureInfo.InvariantCulture, $"We credited {amount:0.00} to your account."))));
                break;
            }
            default:
                // Office work: ledger review, mediation letter, lease review, packages, amenities.
                actions.Add(new CreateWorkOrder(step("office_task"), Order("office", option.Title + ": " + request.Message, sla.ResponseHours)));
                actions.Add(new SendNotification(step("notify"), Notice("We are on it", option.Description)));
                break;
        }
        return new ExecutionPlan(request.Id, actions);
    }

    /// <summary>The urgency a round is dispatched with: one level higher per reopening, at most an emergency.</summary>
    public static Urgency UrgencyFor(Urgency classified, int round) => (Urgency)Math.Min((int)Urgency.Emergency, (int)classified + Math.Max(0, round));

    /// <summary>When a round started: the request's filing for the first, the n-th reopening for round n.</summary>
    public static DateTimeOffset RoundStart(ResidentRequest request, int round) => round <= 0
        ? request.CreatedAt
        : request.History.Where(h => h.Event == ResidentRequest.ReopenedEvent).Skip(round - 1).FirstOrDefault()?.At ?? request.CreatedAt;

    private static bool IsPhysical(Category c) => c is Category.Plumbing or Category.Electrical or Category.Hvac
        or Category.Appliance or Category.Pest or Category.Structural or Category.SecurityAccess;

    private static string Snake(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
