using ApartmentManager.Application.Ports;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Decisions.Policy;

/// <summary>
/// Re-checks the option about to be carried out against the same <see cref="PolicyRules"/> the decision used, with the
/// resident's facts as they are now. A hard constraint forbids the option whoever chose it — except that a manager may
/// approve an option when the decision found no option that satisfies every constraint (a person must act then). An
/// approval rule makes it wait for a manager unless a manager approved this very option.
/// </summary>
public sealed partial class OptionGate(
    IOptionsMonitor<DecisionOptions> options,
    GoodwillHistory goodwill,
    ILogger<OptionGate> logger) : IOptionGate
{
    private readonly PolicyRules _rules = PolicyRules.Standard;

    public async Task<OptionVerdict> CheckAsync(
        ResidentRequest request, string optionId, OptionChooser chooser, bool approvedByManager, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var option = request.Options.FirstOrDefault(o => o.Id == optionId) ?? throw new UnknownOptionException(optionId);
        if (request.Classification is null || request.Risk is null)
        {
            throw new RequestNotReadyException($"Request '{request.Id}' must be classified and risk-scored before an option is checked.");
        }
        var context = new ConstraintContext(request, request.Classification, request.Risk, options.CurrentValue,
            ResidentCauseEvidence.Find(request), await FactsAsync(request, cancellationToken).ConfigureAwait(false));

        var verdict = Judge(context, option, approvedByManager);
        LogChecked(request.Id, optionId, chooser, verdict.Kind, verdict.Reason);
        return verdict;
    }

    /// <summary>
    /// The facts the rules need about the resident now (the Decide step passes them to the policy too): the goodwill
    /// credited in the window, and whether the ledger review of the current round found the charge wrong.
    /// </summary>
    public async Task<PolicyFacts> FactsAsync(ResidentRequest request, CancellationToken cancellationToken = default) =>
        new(await goodwill.CreditedAsync(request.ResidentId, request.Id, cancellationToken).ConfigureAwait(false),
            ChargeFoundWrong: request.Finding is { ChargeWrong: true });

    internal OptionVerdict Judge(ConstraintContext context, ResolutionOption option, bool approvedByManager)
    {
        var violations = _rules.Violations(context, option);
        if (violations.Count > 0)
        {
            bool noneFeasible = context.Request.Options.All(o => _rules.Violations(context, o).Count > 0);
            if (!(approvedByManager && noneFeasible))
            {
                return OptionVerdict.Forbidden([.. violations.Select(v => v.Finding)]);
            }
        }
        if (approvedByManager)
        {
            return OptionVerdict.Allowed;
        }
        var approvals = _rules.ApprovalsNeeded(context, option);
        if (violations.Count > 0)
        {
            approvals.Insert(0, new PolicyFinding(PolicyCodes.NoFeasibleOption, "no option satisfies every hard constraint"));
        }
        return approvals.Count > 0 ? OptionVerdict.NeedsApproval(approvals) : OptionVerdict.Allowed;
    }

    [LoggerMessage(LogLevel.Information, "Request {RequestId}: option {OptionId} chosen by {Chooser} re-checked → {Verdict} ({Reason})")]
    private partial void LogChecked(string requestId, string optionId, OptionChooser chooser, OptionVerdictKind verdict, string reason);
}
