namespace ApartmentManager.Api.Requests;

/// <summary>Body of POST /api/v1/requests/{id}/reply: the resident's answer to the clarifying question.</summary>
public sealed record ReplyBody(string? Message);

/// <summary>
/// Body of POST /api/v1/requests/{id}/complete: a manager reports the open work (or office task) done. Completing a
/// ledger review requires <paramref name="Finding"/>; any other work refuses one.
/// </summary>
public sealed record CompleteBody(string? Outcome, decimal? ActualCost, string? Note, FindingBody? Finding = null);

/// <summary>What the ledger review found.</summary>
/// <param name="ChargeWrong">true: the charge was wrong and <paramref name="Amount"/> of it is credited (verified, no approval
/// needed up to the auto-approval limit and the goodwill cap); false: the charge was right, nothing is credited.</param>
/// <param name="Amount">The amount found wrong: more than 0 and at most <c>Decision:Credits:MaximumCredit</c> when the charge
/// was wrong, 0 or absent when it was right; at most two decimals.</param>
/// <param name="Note">The office's internal note (managers see it; the resident does not).</param>
public sealed record FindingBody(bool? ChargeWrong, decimal? Amount, string? Note);

/// <summary>
/// Body of POST /api/v1/hooks/work-orders, sent by the maintenance system and signed like the outbound webhooks
/// (<c>X-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body))</c>, <c>X-Signature-Timestamp</c>).
/// </summary>
/// <param name="EventId">Unique per report; a report whose id was seen before changes nothing (replay protection).</param>
/// <param name="RequestId">The request the work order was opened for (sent with the work order).</param>
/// <param name="State">"scheduled", "assigned", "on_site", "completed" or "cannot_complete".</param>
public sealed record WorkOrderEventBody(string? EventId, string? RequestId, string? State, DateTimeOffset? OccurredAt, decimal? ActualCost, string? Note);

/// <summary>Answer of the work-order webhook.</summary>
/// <param name="Duplicate">The event id was seen before: nothing changed.</param>
public sealed record WorkOrderEventAnswer(string RequestId, string EventId, ApartmentManager.Domain.RequestStatus Status, ApartmentManager.Domain.WorkState? WorkState, bool Duplicate);

/// <summary>The inbound work-order webhook's settings (section <c>Hooks:WorkOrders</c>).</summary>
public sealed class WorkOrderHookOptions
{
    public const string SectionName = "Hooks:WorkOrders";

    /// <summary>The shared HMAC secret. The single-node host creates one in its data directory when none is set.</summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>How far the signature timestamp may be from now, either way.</summary>
    public double ToleranceSeconds { get; set; } = 300;
}
