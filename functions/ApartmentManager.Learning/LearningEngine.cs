using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Requests;
using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Learning.Evaluation;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Learning.Parameters;
using ApartmentManager.Learning.Recalibration;
using ApartmentManager.Learning.Risk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Learning;

/// <summary>What a learning run did: the version it wrote (none on a tiny data set), whether it was adopted, and why.</summary>
public sealed record LearningRunResult(string? Version, bool Adopted, EvaluationReport? Evaluation, string Message, int Outcomes);

/// <summary>The parameter sets, newest first, and which one is active.</summary>
public sealed record LearningOverview(string ActiveVersion, DateTimeOffset? ActivatedAt, string? ActivatedBy, int Outcomes, IReadOnlyList<ParameterSet> Versions);

/// <summary>No parameter set has that version.</summary>
public sealed class UnknownParameterSetException(string version) : Exception($"No learned parameter set '{version}' exists; GET /api/v1/admin/learning lists them (or activate 'priors').")
{
    public string Version { get; } = version;
}

/// <summary>
/// Runs learning (refresh the outcome data set → fit a candidate on the older outcomes → evaluate it and the active set
/// on the newer ones → adopt only when no measure is worse and one is better), lists the versions and rolls back.
/// Adoption, rejection and every activation are audit entries.
/// </summary>
public sealed partial class LearningEngine(
    OutcomeCollector collector,
    IOutcomeStore outcomes,
    IParameterSetStore sets,
    OptionForecaster forecaster,
    ActiveCalibrationSource active,
    RiskModels riskModels,
    AuditTrail audit,
    IOptions<LearningOptions> options,
    TimeProvider clock,
    ILogger<LearningEngine> logger)
{
    public const string System = "system:learning";
    public const string TargetType = "learning_parameters";
    public const string AdoptedAction = "learning.adopted";
    public const string RejectedAction = "learning.rejected";
    public const string ActivatedAction = "learning.activated";

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>An admin's on-demand run (the caller must hold the admin role).</summary>
    public Task<LearningRunResult> RunAsync(Caller caller, CancellationToken ct)
    {
        RequireAdmin(caller);
        return RunAsync(caller.Actor, ct);
    }

    /// <summary>One learning run on behalf of <paramref name="actor"/> (the schedule runs as <see cref="System"/>).</summary>
    public async Task<LearningRunResult> RunAsync(string actor, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var o = options.Value;
            await collector.RefreshAsync(ct).ConfigureAwait(false);
            var all = (await outcomes.ListAsync(ct).ConfigureAwait(false)).OrderBy(x => x.ResolvedAt).ThenBy(x => x.RequestId, StringComparer.Ordinal).ToList();
            if (all.Count < o.MinimumOutcomes)
            {
                var message = $"Nothing learned: {all.Count} outcomes recorded, at least {o.MinimumOutcomes} are needed (Learning:MinimumOutcomes).";
                LogNothingToLearn(all.Count, o.MinimumOutcomes);
                return new LearningRunResult(null, false, null, message, all.Count);
            }

            int testCount = Math.Max(1, (int)Math.Round(all.Count * o.HeldOutFraction));
            var train = all.Take(all.Count - testCount).ToList();
            var test = all.Skip(all.Count - testCount).ToList();

            var current = await active.ReadAsync(ct).ConfigureAwait(false);
            var existing = await sets.ListAsync(ct).ConfigureAwait(false);
            int number = existing.Count == 0 ? 1 : existing.Max(s => s.Number) + 1;

            // The risk model: every outcome re-scored from its kept row by the active set's model; retrained on the
            // training part when enough rows exist, else carried over (the candidate then only recalibrates it).
            var currentRisk = await riskModels.ScoreAsync(all, current?.RiskModel, ct).ConfigureAwait(false);
            var trainRows = RiskModels.RowsOf(train);
            int skipped = train.Count - trainRows.Count;
            var candidateRisk = currentRisk;
            var candidateModel = current?.RiskModel;
            RetrainedRiskModel? retrained = null;
            string riskNote;
            if (trainRows.Count >= o.RiskRetrainMinimum)
            {
                retrained = RiskRetrainer.Train(trainRows, riskModels.ConfiguredBytes(), "learned-" + ParameterSet.VersionOf(number), o);
                using var predictor = riskModels.Open(retrained.Onnx, "candidate-" + ParameterSet.VersionOf(number));
                candidateRisk = RiskModels.Score(predictor, RiskModels.RowsOf(all));
                riskNote = $"Risk model retrained on {trainRows.Count} outcomes with a kept input row ({skipped} older ones without a row skipped): {retrained.ModelVersion}.";
            }
            else
            {
                riskNote = $"Risk model not retrained: {trainRows.Count} training outcomes have a kept input row, {o.RiskRetrainMinimum} are needed (Learning:RiskRetrainMinimum); {skipped} without a row skipped.";
            }
            LogRiskModel(riskNote);

            var forecasts = new ForecastCache(forecaster, o.ForecastRuns);
            var recalibrator = new Recalibrator(forecaster, forecasts, o);
            var candidate = recalibrator.Fit(ParameterSet.VersionOf(number), train, candidateRisk);
            var evaluator = new Evaluator(forecasts, o);
            var currentScores = evaluator.Score(test, current?.Calibration, currentRisk);
            var candidateScores = evaluator.Score(test, candidate, candidateRisk);
            var (comparisons, adopted, reason) = evaluator.Compare(currentScores, candidateScores);
            var basedOn = current?.Version ?? LearnedParameters.PriorsVersion;
            var report = new EvaluationReport(train.Count, test.Count, test[0].ResolvedAt, basedOn,
                Evaluator.Summarise(currentScores), Evaluator.Summarise(candidateScores), comparisons, adopted, reason, riskNote,
                recalibrator.CapacityEstimates);

            ParameterSet set;
            while (true)
            {
                var version = ParameterSet.VersionOf(number);
                var model = retrained is null ? candidateModel
                    : new LearnedRiskModel(version, retrained.ModelVersion, retrained.TrainOutcomes, skipped, retrained.Onnx.Length);
                if (retrained is not null)
                {
                    // Kept before the set that names it: a set is never readable without its model.
                    await sets.SaveRiskModelAsync(version, retrained.Onnx, ct).ConfigureAwait(false);
                }
                set = new ParameterSet(version, number, clock.GetUtcNow(), adopted ? ParameterSet.Adopted : ParameterSet.Rejected,
                    basedOn, candidate with { Version = version }, report, model);
                if (await sets.CreateAsync(set, ct).ConfigureAwait(false))
                {
                    break;
                }
                number++; // another instance wrote this version first
            }

            if (adopted)
            {
                await ActivateCoreAsync(set.Version, actor, basedOn, ct).ConfigureAwait(false);
            }
            await audit.RecordAsync(actor, adopted ? AdoptedAction : RejectedAction, TargetType, set.Version, basedOn, reason, ct).ConfigureAwait(false);
            LogRun(set.Version, adopted, reason, train.Count, test.Count);
            return new LearningRunResult(set.Version, adopted, report,
                (adopted ? $"{set.Version} adopted and active. " : $"{set.Version} kept as a rejected candidate; {basedOn} stays active. ") + reason + " " + riskNote,
                all.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<LearningOverview> ListAsync(Caller caller, CancellationToken ct)
    {
        RequireAdmin(caller);
        var pointer = await sets.GetActiveAsync(ct).ConfigureAwait(false);
        var all = await sets.ListAsync(ct).ConfigureAwait(false);
        var count = (await outcomes.ListAsync(ct).ConfigureAwait(false)).Count;
        return new LearningOverview(pointer?.Version ?? LearnedParameters.PriorsVersion, pointer?.At, pointer?.Actor, count, all);
    }

    /// <summary>Makes <paramref name="version"/> active (an adopted or a rejected set, or "priors"): the admin's roll-back.</summary>
    public async Task<ActiveParameters> ActivateAsync(Caller caller, string version, CancellationToken ct)
    {
        RequireAdmin(caller);
        if (version != LearnedParameters.PriorsVersion && await sets.GetAsync(version, ct).ConfigureAwait(false) is null)
        {
            throw new UnknownParameterSetException(version);
        }
        var before = (await sets.GetActiveAsync(ct).ConfigureAwait(false))?.Version ?? LearnedParameters.PriorsVersion;
        var pointer = await ActivateCoreAsync(version, caller.Actor, before, ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, ActivatedAction, TargetType, version, before, version, ct).ConfigureAwait(false);
        return pointer;
    }

    /// <summary>The outcome data set as JSON lines (admins only).</summary>
    public async Task<int> ExportAsync(Caller caller, Stream destination, CancellationToken ct)
    {
        RequireAdmin(caller);
        await collector.RefreshAsync(ct).ConfigureAwait(false);
        return await collector.ExportAsync(destination, ct).ConfigureAwait(false);
    }

    private async Task<ActiveParameters> ActivateCoreAsync(string version, string actor, string before, CancellationToken ct)
    {
        var pointer = new ActiveParameters(version, clock.GetUtcNow(), actor);
        await sets.SetActiveAsync(pointer, ct).ConfigureAwait(false);
        active.Invalidate();
        LogActivated(version, before, actor);
        return pointer;
    }

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Learning needs the admin role.");
        }
    }

    [LoggerMessage(LogLevel.Information, "Learning: nothing to learn from {Outcomes} outcomes (at least {Minimum} needed)")]
    private partial void LogNothingToLearn(int outcomes, int minimum);

    [LoggerMessage(LogLevel.Information, "Learning run wrote {Version} (adopted {Adopted}): {Reason} [{Train} train / {Test} held-out outcomes]")]
    private partial void LogRun(string version, bool adopted, string reason, int train, int test);

    [LoggerMessage(LogLevel.Information, "Learning: {Note}")]
    private partial void LogRiskModel(string note);

    [LoggerMessage(LogLevel.Information, "Learned parameters {Version} active (was {Before}), by {Actor}")]
    private partial void LogActivated(string version, string before, string actor);
}

/// <summary>
/// The active learned parameter set, cached for <see cref="LearningOptions.ActiveCacheSeconds"/> (the simulation and
/// the risk step read it on every request). Activation in this process is seen at once; in another instance within
/// the cache time.
/// </summary>
public sealed class ActiveCalibrationSource(IParameterSetStore sets, IOptions<LearningOptions> options, TimeProvider clock) : ICalibrationSource
{
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(ParameterSet? Set, DateTimeOffset ReadAt);

    public async ValueTask<SimulationCalibration?> GetActiveAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(cancellationToken).ConfigureAwait(false))?.Calibration;

    /// <summary>The active set (null: the priors).</summary>
    public async ValueTask<ParameterSet?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (_snapshot is { } s && now - s.ReadAt < TimeSpan.FromSeconds(options.Value.ActiveCacheSeconds))
        {
            return s.Set;
        }
        var pointer = await sets.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        // The same version as before keeps the same object: what the simulation built from it (learned crews' queues) is kept too.
        var set = pointer is null || pointer.Version == LearnedParameters.PriorsVersion ? null
            : _snapshot?.Set is { } kept && kept.Version == pointer.Version ? kept
            : await sets.GetAsync(pointer.Version, cancellationToken).ConfigureAwait(false);
        _snapshot = new Snapshot(set, now);
        return set;
    }

    public void Invalidate() => _snapshot = null;
}
