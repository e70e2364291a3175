using ApartmentManager.Decisions;
using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;
using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Learning.Outcomes;

namespace ApartmentManager.Learning.Tests;

/// <summary>
/// Outcomes drawn from a world the test knows: the simulation's own model with the true parameters, which may differ
/// from the priors (plumbing work (scheduled visits and on-call dispatches) taking <see cref="PlumbingSlowdown"/> times as long, one building escalating
/// <see cref="BuildingEscalation"/> times as often).
/// </summary>
/// <remarks>
/// With <c>riskRows</c> each outcome also keeps the risk model's input row (as the pipeline keeps it since issue 15): a
/// plausible request (category, urgency, hazard cues, time, the building's age, the unit's history), its base risk the
/// configured model's probability for that row (a real ONNX Runtime session), and whether it escalated drawn from that
/// probability (times <see cref="BuildingEscalation"/> in the risky building).
/// </remarks>
/// <remarks>
/// With <c>onCallEvening</c> below 1 the on-call crew (configured: one person around the clock) is that many people
/// from 18:00 to 22:00 (0.5: nobody on half the evenings), and three in seven requests are on-call dispatches.
/// </remarks>
internal sealed class KnownWorld(double plumbingSlowdown, double buildingEscalation, int seed, bool riskRows = false, double onCallEvening = 1.0)
{
    public const string OnCall = "on_call";
    public static readonly int[] EveningHours = [18, 19, 20, 21];
    public const string RiskyBuilding = "B3";
    public static readonly string[] Buildings = ["B1", "B2", "B3", "B4", "B5"];
    /// <summary>Each building's age in years: how a risk model can tell the buildings apart.</summary>
    public static readonly IReadOnlyDictionary<string, double> BuildingAge = new Dictionary<string, double> { ["B1"] = 8, ["B2"] = 22, ["B3"] = 41, ["B4"] = 63, ["B5"] = 15 };

    private static readonly Lazy<OnnxRiskPredictor> Configured = new(() => new OnnxRiskPredictor(new IntelligenceOptions().RiskModelPath));

    /// <summary>The configured risk model (the one shipped in inference-containers/models).</summary>
    public static OnnxRiskPredictor ConfiguredModel => Configured.Value;
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly (Category Category, string Kind)[] Mix =
    [
        (Category.Plumbing, OptionKinds.ScheduleBySla), (Category.Plumbing, OptionKinds.ScheduleBySla), (Category.Plumbing, OptionKinds.DispatchNow),
        (Category.Electrical, OptionKinds.ScheduleBySla), (Category.Hvac, OptionKinds.Vendor), (Category.Appliance, OptionKinds.Vendor),
        (Category.Appliance, OptionKinds.ScheduleBySla),
    ];

    private static readonly (Category Category, string Kind)[] OnCallMix =
    [
        (Category.Plumbing, OptionKinds.DispatchNow), (Category.Plumbing, OptionKinds.DispatchNow), (Category.Plumbing, OptionKinds.DispatchNow),
        (Category.Plumbing, OptionKinds.ScheduleBySla), (Category.Electrical, OptionKinds.ScheduleBySla), (Category.Hvac, OptionKinds.Vendor),
        (Category.Appliance, OptionKinds.ScheduleBySla),
    ];

    public double PlumbingSlowdown { get; } = plumbingSlowdown;
    public double OnCallEvening { get; } = onCallEvening;
    public double BuildingEscalation { get; } = buildingEscalation;
    public OptionForecaster Forecaster { get; } = new(new DecisionOptions());

    /// <summary>The world's true work times as a parameter set (what learning should move towards).</summary>
    public SimulationCalibration Truth()
    {
        var work = new Dictionary<string, LearnedDuration>();
        foreach (var urgency in Enum.GetValues<Urgency>())
        {
            foreach (var kind in new[] { OptionKinds.ScheduleBySla, OptionKinds.DispatchNow })
            {
                if (Forecaster.Prior(Category.Plumbing, urgency, kind) is { } prior)
                {
                    work[CalibrationKeys.Of(Category.Plumbing, urgency, kind)] =
                        new(prior.WorkMedianHours * PlumbingSlowdown, prior.WorkP90Hours * PlumbingSlowdown, 0);
                }
            }
        }
        Dictionary<string, double[]>? crews = null;
        if (OnCallEvening != 1.0)
        {
            var onCall = new double[24];
            Array.Fill(onCall, 1.0);
            foreach (int h in EveningHours)
            {
                onCall[h] = OnCallEvening;
            }
            crews = new() { [OnCall] = onCall };
        }
        return new SimulationCalibration("truth", work, new Dictionary<string, double>(), new Dictionary<string, double>(), new Dictionary<string, double>(),
            CrewCapacity: crews);
    }

    public List<OutcomeRecord> Generate(int count)
    {
        var rng = new Random(seed);
        var truth = Truth();
        var outcomes = new List<OutcomeRecord>(count);
        for (int i = 0; i < count; i++)
        {
            var mix = OnCallEvening != 1.0 ? OnCallMix : Mix;
            var (category, kind) = mix[rng.Next(mix.Length)];
            var urgency = kind == OptionKinds.DispatchNow || rng.NextDouble() < 0.2 ? Urgency.High : Urgency.Normal;
            var building = Buildings[rng.Next(Buildings.Length)];
            var filed = Start.AddHours(i * 6 + rng.NextDouble() * 4);
            double risk = 0.05 + 0.2 * rng.NextDouble();
            RiskInputs? inputs = null;
            if (riskRows)
            {
                var features = new RiskFeatures(category, urgency, rng.NextDouble() < 0.75 ? 0 : rng.NextDouble() < 0.8 ? 1 : 2,
                    filed.Hour, filed.DayOfWeek, RiskFeatures.SeasonOf(filed), BuildingAge[building], rng.Next(0, 4), rng.Next(0, 3),
                    rng.NextDouble() < 0.1, 30 + rng.Next(0, 400));
                inputs = RiskFeatureVector.Inputs(features);
                risk = ConfiguredModel.PredictRows([RiskFeatureVector.ToVector(features)])[0];
            }
            double trueRisk = building == RiskyBuilding ? Math.Min(0.95, risk * BuildingEscalation) : risk;
            bool escalated = rng.NextDouble() < trueRisk;
            var level = RiskLevels.Of(risk);
            double hour = filed.UtcDateTime.TimeOfDay.TotalHours;

            // One run of the true model gives this outcome's response, resolution and cost.
            var run = Forecaster.Forecast(new ForecastCase(category, urgency, kind, trueRisk, level, hour), truth, runs: 1, seed: (ulong)(seed * 100_000 + i))!;
            var prior = Forecaster.Prior(category, urgency, kind)!;
            double slowdown = category == Category.Plumbing ? PlumbingSlowdown : 1;
            double firstVisit = LogNormalSample(rng, prior.WorkMedianHours * slowdown, prior.WorkP90Hours * slowdown);
            int rating = rng.NextDouble() < 0.7 ? 5 : 4;
            outcomes.Add(new OutcomeRecord(
                $"req-{seed}-{i:D5}", building, category, urgency, kind, filed, filed, filed.AddHours(run.P50Hours + 24), hour,
                risk, level, LearnedParameters.PriorsVersion, 0, 0, 0, 0,
                run.ResponseP50Hours, firstVisit, run.P50Hours, Math.Round(run.ExpectedCost, 2), 0, rating, (rating - 1) / 4.0, escalated, inputs));
        }
        return outcomes;
    }

    private static double LogNormalSample(Random rng, double median, double p90)
    {
        double sigma = Math.Log(p90 / median) / 1.2815515655446004;
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return median * Math.Exp(sigma * z);
    }
}
