
namespace ApartmentManager.Pipeline;

/// <summary>
/// What the workflow does around the decision: clarifying questions before triage, confirmation and reopening after
/// the work. Section <c>Lifecycle</c>; bound and validated at start.
/// </summary>
public sealed class LifecycleOptions
{
    public const string SectionName = "Lifecycle";

    /// <summary>How long the resident has to confirm the work (or reopen it) before the request is resolved unconfirmed.</summary>
    public double ConfirmationWindowHours { get; set; } = 72;

    /// <summary>The reopening after which the request goes to a manager instead of being dispatched again.</summary>
    public int EscalateAfterReopens { get; set; } = 2;

    /// <summary>Who is paged when an emergency has no one on site within its on-site SLA (a notification recipient).</summary>
    public string OnCallManager { get; set; } = "on-call-manager";

    /// <summary>Clarifying questions before triage.</summary>
    public QuestionOptions Questions { get; set; } = new();
}

public sealed class QuestionOptions
{
    /// <summary>Below this classification confidence the resident is asked what the problem is (0 turns that off).</summary>
    public double BelowConfidence { get; set; } = 0.5;

    /// <summary>Ask where in the unit the problem is when a repair message does not say.</summary>
    public bool AskWhereInUnit { get; set; } = true;

    /// <summary>At most this many questions per request.</summary>
    public int MaxQuestions { get; set; } = 2;

    /// <summary>How long a question waits for the reply before a manager triages the request.</summary>
    public double ReplySlaHours { get; set; } = 24;
}
