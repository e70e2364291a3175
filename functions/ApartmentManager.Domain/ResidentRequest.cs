namespace ApartmentManager.Domain;

/// <summary>
/// A resident's request and everything the pipeline learned about it. Immutable: every change returns a new
/// value with one more history entry, so the stored document and its history can never disagree.
/// </summary>
public sealed partial record ResidentRequest
{
    public const int MaxMessageLength = 4000;

    public required string Id { get; init; }
    public required string ResidentId { get; init; }
    public required string Building { get; init; }
    public required string Unit { get; init; }
    public required Channel Channel { get; init; }
    public required string Message { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public RequestStatus Status { get; init; } = RequestStatus.Received;

    public Classification? Classification { get; init; }
    public RiskAssessment? Risk { get; init; }
    /// <summary>The risk model's input row as scored (null on requests assessed before rows were kept).</summary>
    public RiskInputs? RiskInputs { get; init; }
    public IReadOnlyList<ResolutionOption> Options { get; init; } = [];
    public Decision? Decision { get; init; }
    public string? SelectedOptionId { get; init; }
    public IReadOnlyList<ExecutionRecord> Executions { get; init; } = [];
    public Resolution? Resolution { get; init; }
    public IReadOnlyList<HistoryEntry> History { get; init; } = [];

    /// <summary>The work the request cost so far (LLM tokens, model-server and simulation time); null until some was spent.</summary>
    public RequestUsage? Usage { get; init; }

    /// <summary>The client's Idempotency-Key, if the request was created with one.</summary>
    public string? IdempotencyKey { get; init; }
    /// <summary>Fingerprint of the create body, to tell a retry from a different request under the same key.</summary>
    public string? ContentHash { get; init; }

    public static ResidentRequest Create(
        string id, string residentId, string building, string unit, Channel channel, string message,
        DateTimeOffset now, string actor, string? idempotencyKey = null, string? contentHash = null) => new()
    {
        Id = id,
        ResidentId = residentId,
        Building = building,
        Unit = unit,
        Channel = channel,
        Message = message,
        CreatedAt = now,
        UpdatedAt = now,
        IdempotencyKey = idempotencyKey,
        ContentHash = contentHash,
        History = [new HistoryEntry(now, "created", actor, To: RequestStatus.Received, Detail: $"via {channel.ToString().ToLowerInvariant()}", TraceParent: TraceContext.Current)],
    };

    /// <summary>Moves to <paramref name="to"/> if the state machine allows it; throws <see cref="InvalidTransitionException"/> otherwise.</summary>
    public ResidentRequest TransitionTo(RequestStatus to, string actor, DateTimeOffset now, string? detail = null)
    {
        RequestStateMachine.EnsureCanTransition(Status, to);
        return this with
        {
            Status = to,
            UpdatedAt = now,
            History = [.. History, new HistoryEntry(now, "status_changed", actor, Status, to, detail, TraceParent: TraceContext.Current)],
        };
    }

    /// <summary>Appends a history entry without changing status (e.g. "notified", "llm_fallback").</summary>
    public ResidentRequest Record(string @event, string actor, DateTimeOffset now, string? detail = null) => this with
    {
        UpdatedAt = now,
        History = [.. History, new HistoryEntry(now, @event, actor, Detail: detail, TraceParent: TraceContext.Current)],
    };

    public ResidentRequest WithClassification(Classification classification, DateTimeOffset now) =>
        (this with { Classification = classification })
            .TransitionTo(RequestStatus.Classified, "system", now,
                $"{Name(classification.Category)}/{Name(classification.Urgency)} ({classification.Stage}, {classification.Confidence:0.00})");

    public ResidentRequest WithRisk(RiskAssessment risk, DateTimeOffset now, RiskInputs? inputs = null) =>
        (this with { Risk = risk, RiskInputs = inputs ?? RiskInputs })
            .TransitionTo(RequestStatus.RiskAssessed, "system", now, $"{Name(risk.Level)} ({risk.Probability:0.000})");

    public ResidentRequest WithOptions(IReadOnlyList<ResolutionOption> options, DateTimeOffset now)
    {
        if (options.Count == 0)
        {
            throw new DomainException("A request needs at least one option to move past simulation.");
        }
        return (this with { Options = options })
            .TransitionTo(RequestStatus.OptionsSimulated, "system", now, $"{options.Count} options");
    }

    public ResidentRequest WithDecision(Decision decision, DateTimeOffset now)
    {
        if (Options.All(o => o.Id != decision.RecommendedOptionId))
        {
            throw new DomainException($"The recommended option '{decision.RecommendedOptionId}' is not one of this request's options.");
        }
        return (this with { Decision = decision })
            .TransitionTo(RequestStatus.Decided, "system", now, $"recommend {decision.RecommendedOptionId}; next: {Name(decision.NextStep)}");
    }

    /// <summary>The resident picks one of the decided options; only while the request waits for that choice.</summary>
    public ResidentRequest SelectOption(string optionId, string actor, DateTimeOffset now)
    {
        if (Status != RequestStatus.AwaitingResidentChoice)
        {
            throw new DomainException($"Options can only be selected while the request awaits the resident's choice; it is '{Name(Status)}'.");
        }
        if (Options.All(o => o.Id != optionId))
        {
            throw new UnknownOptionException(optionId);
        }
        return this with
        {
            SelectedOptionId = optionId,
            UpdatedAt = now,
            History = [.. History, new HistoryEntry(now, "option_selected", actor, Detail: optionId, TraceParent: TraceContext.Current)],
        };
    }

    /// <summary>Sets the option the system will carry out (the resident's pick, or the recommendation).</summary>
    public ResidentRequest WithSelectedOption(string optionId, string actor, DateTimeOffset now)
    {
        if (Options.All(o => o.Id != optionId))
        {
            throw new UnknownOptionException(optionId);
        }
        return this with
        {
            SelectedOptionId = optionId,
            UpdatedAt = now,
            History = [.. History, new HistoryEntry(now, "option_selected", actor, Detail: optionId, TraceParent: TraceContext.Current)],
        };
    }

    public const string ManagerApprovedEvent = "manager_approved";
    public const string ManagerRejectedEvent = "manager_rejected";

    /// <summary>A manager approves <paramref name="optionId"/> (recorded in the history, which is the approval's only record).</summary>
    public ResidentRequest RecordManagerApproval(string optionId, string actor, DateTimeOffset now, string? note = null)
    {
        if (Options.All(o => o.Id != optionId))
        {
            throw new UnknownOptionException(optionId);
        }
        return Record(ManagerApprovedEvent, actor, now, note is null ? optionId : $"{optionId}: {note}");
    }

    /// <summary>Whether a manager approved <paramref name="optionId"/> since the current decision was made.</summary>
    public bool IsApprovedByManager(string optionId)
    {
        var since = Decision?.DecidedAt ?? DateTimeOffset.MinValue;
        for (int i = History.Count - 1; i >= 0; i--)
        {
            var entry = History[i];
            if (entry.At < since)
            {
                break;
            }
            if (entry.Event == ManagerApprovedEvent && entry.Detail is { } detail
                && (detail == optionId || detail.StartsWith(optionId + ": ", StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Adds or replaces (by id) an execution record.</summary>
    public ResidentRequest WithExecution(ExecutionRecord execution, DateTimeOffset now) => this with
    {
        Executions = [.. Executions.Where(e => e.Id != execution.Id), execution],
        UpdatedAt = now,
        History = [.. History, new HistoryEntry(now, "execution_" + Name(execution.Status), "system", Detail: $"{execution.Action} via {execution.Gateway}", TraceParent: TraceContext.Current)],
    };

    public ResidentRequest Resolve(string outcome, int? rating, string actor, DateTimeOffset now)
    {
        if (rating is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(rating), "A rating is between 1 and 5.");
        }
        return (this with { Resolution = new Resolution(outcome, rating, actor, now) })
            .TransitionTo(RequestStatus.Resolved, actor, now, outcome);
    }

    private static string Name<T>(T value) where T : struct, Enum => Names.Of(value);
}

public sealed class UnknownOptionException(string optionId)
    : DomainException($"Option '{optionId}' is not one of this request's options.")
{
    public string OptionId { get; } = optionId;
}
