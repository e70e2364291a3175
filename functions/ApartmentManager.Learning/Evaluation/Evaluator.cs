using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Learning.Recalibration;
using ApartmentManager.Learning.Risk;

namespace ApartmentManager.Learning.Evaluation;

/// <summary>Scores parameter sets on held-out outcomes and applies the adoption rule.</summary>
internal sealed class Evaluator(ForecastCache forecasts, LearningOptions options)
{
    private const double Z90 = 1.2815515655446004;
    private const double MinimumSigma = 0.05;

    public const string LogLikelihood = "resolution_log_likelihood";
    public const string ResponseLogLikelihood = "response_log_likelihood";
    public const string Calibration = "resolution_calibration_error";
    public const string CostError = "cost_mean_absolute_error";
    public const string Brier = "escalation_brier";
    public const string Auc = "escalation_auc";

    /// <summary>Per-outcome scores of one parameter set (NaN where the outcome lacks the figure).</summary>
    internal sealed record Scores(double[] LogDensity, bool[] BelowP50, bool[] BelowP90, double[] CostError, double[] Probability, bool[] Escalated, double[] ResponseDensity);

    /// <param name="risk">Each outcome's risk under the parameter set's risk model, before its learned shifts.</param>
    public Scores Score(IReadOnlyList<OutcomeRecord> test, SimulationCalibration? calibration, RiskBase risk)
    {
        int n = test.Count;
        var scores = new Scores(new double[n], new bool[n], new bool[n], new double[n], new double[n], new bool[n], new double[n]);
        for (int i = 0; i < n; i++)
        {
            var o = test[i];
            double baseRisk = risk.Of(o);
            var f = forecasts.For(o, calibration, baseRisk);
            scores.LogDensity[i] = double.NaN;
            scores.CostError[i] = double.NaN;
            scores.ResponseDensity[i] = o.ResponseHours is { } wait && f is not null && forecasts.Responses(o, calibration, baseRisk) is { } waits
                ? CapacityFitter.LogDensity(wait, waits)
                : double.NaN;
            if (f is not null && o.ResolutionHours is { } actual)
            {
                double hours = Math.Max(actual, 0.01);
                double median = Math.Max(f.P50Hours, 0.01);
                double sigma = Math.Max(MinimumSigma, f.P90Hours > median ? Math.Log(f.P90Hours / median) / Z90 : 0);
                double z = (Math.Log(hours) - Math.Log(median)) / sigma;
                scores.LogDensity[i] = -0.5 * z * z - Math.Log(sigma * hours * Math.Sqrt(2 * Math.PI));
                scores.BelowP50[i] = actual <= f.P50Hours;
                scores.BelowP90[i] = actual <= f.P90Hours;
            }
            if (f is not null && o.ActualCost is { } cost)
            {
                scores.CostError[i] = Math.Abs(cost - f.CostP50);
            }
            scores.Probability[i] = calibration?.AdjustRisk(baseRisk, o.Building) ?? baseRisk;
            scores.Escalated[i] = o.Escalated;
        }
        return scores;
    }

    public static Measures Summarise(Scores s)
    {
        var timed = Enumerable.Range(0, s.LogDensity.Length).Where(i => !double.IsNaN(s.LogDensity[i])).ToList();
        var costed = s.CostError.Where(e => !double.IsNaN(e)).ToList();
        var waited = s.ResponseDensity.Where(e => !double.IsNaN(e)).ToList();
        double calibration = timed.Count == 0 ? 0
            : (Math.Abs(timed.Count(i => s.BelowP50[i]) / (double)timed.Count - 0.5) + Math.Abs(timed.Count(i => s.BelowP90[i]) / (double)timed.Count - 0.9)) / 2;
        return new Measures(
            timed.Count,
            timed.Count == 0 ? 0 : timed.Average(i => s.LogDensity[i]),
            calibration,
            costed.Count,
            costed.Count == 0 ? 0 : costed.Average(),
            s.Probability.Length,
            s.Probability.Length == 0 ? 0 : Enumerable.Range(0, s.Probability.Length).Average(i => Math.Pow(s.Probability[i] - (s.Escalated[i] ? 1 : 0), 2)),
            RocAuc(s.Probability, s.Escalated),
            waited.Count,
            waited.Count == 0 ? 0 : waited.Average());
    }

    /// <summary>Compares the candidate with the current set measure by measure and applies the adoption rule.</summary>
    public (IReadOnlyList<MeasureComparison> Comparisons, bool Adopted, string Reason) Compare(Scores current, Scores candidate)
    {
        var t = options.Tolerances;
        var cur = Summarise(current);
        var can = Summarise(candidate);
        var timed = Enumerable.Range(0, current.LogDensity.Length).Where(i => !double.IsNaN(current.LogDensity[i]) && !double.IsNaN(candidate.LogDensity[i])).ToList();
        var costed = Enumerable.Range(0, current.CostError.Length).Where(i => !double.IsNaN(current.CostError[i]) && !double.IsNaN(candidate.CostError[i])).ToList();
        var comparisons = new List<MeasureComparison>
        {
            Paired(LogLikelihood, cur.ResolutionLogLikelihood, can.ResolutionLogLikelihood, true, t.ResolutionLogLikelihood,
                timed.Select(i => candidate.LogDensity[i] - current.LogDensity[i]).ToList()),
            Aggregate(Calibration, cur.ResolutionCalibrationError, can.ResolutionCalibrationError, false, t.ResolutionCalibration),
            Paired(ResponseLogLikelihood, cur.ResponseLogLikelihood, can.ResponseLogLikelihood, true, t.ResponseLogLikelihood,
                Enumerable.Range(0, current.ResponseDensity.Length).Where(i => !double.IsNaN(current.ResponseDensity[i]) && !double.IsNaN(candidate.ResponseDensity[i]))
                    .Select(i => candidate.ResponseDensity[i] - current.ResponseDensity[i]).ToList()),
            Paired(CostError, cur.CostMeanAbsoluteError, can.CostMeanAbsoluteError, false, t.CostRelative * cur.CostMeanAbsoluteError,
                costed.Select(i => current.CostError[i] - candidate.CostError[i]).ToList()),
            Paired(Brier, cur.EscalationBrier, can.EscalationBrier, false, t.EscalationBrier,
                Enumerable.Range(0, current.Probability.Length).Select(i =>
                    Math.Pow(current.Probability[i] - (current.Escalated[i] ? 1 : 0), 2) - Math.Pow(candidate.Probability[i] - (candidate.Escalated[i] ? 1 : 0), 2)).ToList()),
            Aggregate(Auc, cur.EscalationAuc, can.EscalationAuc, true, t.EscalationAuc),
        };
        var worse = comparisons.Where(c => c.Verdict == MeasureComparison.Worse).Select(c => c.Measure).ToList();
        var better = comparisons.Where(c => c.Verdict == MeasureComparison.Better).Select(c => c.Measure).ToList();
        if (worse.Count > 0)
        {
            return (comparisons, false, $"Rejected: worse on {string.Join(", ", worse)}.");
        }
        if (better.Count == 0)
        {
            return (comparisons, false, "Rejected: not better on any measure (every difference is within its tolerance).");
        }
        return (comparisons, true, $"Adopted: better on {string.Join(", ", better)} and no worse on the rest.");
    }

    /// <summary>
    /// A measure averaged over outcomes: <paramref name="improvements"/> are the per-outcome gains of the candidate
    /// (positive = better); the verdict needs the mean gain beyond both the tolerance and two standard errors.
    /// </summary>
    private static MeasureComparison Paired(string name, double current, double candidate, bool higherIsBetter, double tolerance, List<double> improvements)
    {
        double threshold = tolerance;
        double mean = 0;
        if (improvements.Count > 1)
        {
            mean = improvements.Average();
            double variance = improvements.Sum(d => (d - mean) * (d - mean)) / (improvements.Count - 1);
            threshold = Math.Max(tolerance, 2 * Math.Sqrt(variance / improvements.Count));
        }
        string verdict = mean > threshold ? MeasureComparison.Better : mean < -threshold ? MeasureComparison.Worse : MeasureComparison.Same;
        return new MeasureComparison(name, Round(current), Round(candidate), higherIsBetter, Round(threshold), verdict);
    }

    private static MeasureComparison Aggregate(string name, double current, double candidate, bool higherIsBetter, double tolerance)
    {
        double gain = higherIsBetter ? candidate - current : current - candidate;
        string verdict = gain > tolerance ? MeasureComparison.Better : gain < -tolerance ? MeasureComparison.Worse : MeasureComparison.Same;
        return new MeasureComparison(name, Round(current), Round(candidate), higherIsBetter, Round(tolerance), verdict);
    }

    /// <summary>Probability that a random escalated outcome scores above a random other one (ties count half); 0.5 without both kinds.</summary>
    internal static double RocAuc(double[] scores, bool[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double positives = labels.Count(l => l), negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return 0.5;
        }
        double rankSum = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++)
            {
                if (labels[order[k]])
                {
                    rankSum += rank;
                }
            }
            start = end + 1;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    private static double Round(double value) => Math.Round(value, 6);
}
