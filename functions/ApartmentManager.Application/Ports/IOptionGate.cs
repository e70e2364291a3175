using ApartmentManager.Domain;

namespace ApartmentManager.Application.Ports;

/// <summary>Who chose the option that is about to be carried out.</summary>
public enum OptionChooser
{
    /// <summary>The decision policy's recommendation, proceeding on its own.</summary>
    System,
    /// <summary>The resident picked it.</summary>
    Resident,
    /// <summary>A manager approved it (the approval satisfies the approval rules, not the hard constraints).</summary>
    Manager,
    /// <summary>Nobody chose in time and the policy took the recommendation.</summary>
    Timeout,
}

public enum OptionVerdictKind
{
    /// <summary>Carry it out.</summary>
    Allowed,
    /// <summary>Wait for a manager's approval first.</summary>
    NeedsApproval,
    /// <summary>It breaks a hard constraint: it cannot be selected or carried out.</summary>
    Forbidden,
}

/// <summary>The re-check's answer, with the coded findings behind it (<see cref="PolicyCodes"/>).</summary>
public sealed record OptionVerdict(OptionVerdictKind Kind, IReadOnlyList<PolicyFinding> Findings)
{
    public static readonly OptionVerdict Allowed = new(OptionVerdictKind.Allowed, []);

    public static OptionVerdict NeedsApproval(IReadOnlyList<PolicyFinding> reasons) => new(OptionVerdictKind.NeedsApproval, reasons);

    public static OptionVerdict Forbidden(IReadOnlyList<PolicyFinding> violations) => new(OptionVerdictKind.Forbidden, violations);

    /// <summary>The findings as one sentence for people.</summary>
    public string Reason => Findings.Count == 0 ? "allowed" : string.Join("; ", Findings.Select(f => $"{f.Detail} [{f.Code}]"));
}

/// <summary>
/// The re-check of the option about to be carried out: whoever chose it, it is judged against the hard constraints and
/// the approval rules again, with the facts as they are now.
/// </summary>
public interface IOptionGate
{
    /// <param name="approvedByManager">A manager approved this very option (satisfies the approval rules).</param>
    Task<OptionVerdict> CheckAsync(ResidentRequest request, string optionId, OptionChooser chooser, bool approvedByManager, CancellationToken cancellationToken = default);
}

/// <summary>The option the caller chose breaks a hard constraint (HTTP 409).</summary>
public sealed class OptionForbiddenException(string optionId, OptionVerdict verdict)
    : DomainException($"Option '{optionId}' cannot be chosen: {verdict.Reason}.")
{
    public string OptionId { get; } = optionId;
    public OptionVerdict Verdict { get; } = verdict;
}
