using ApartmentManager.Decisions.Options;
using ApartmentManager.Decisions.Simulation;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Calibration;

/// <summary>Replaces an option's prior figures by the learned ones where the parameter set has them.</summary>
internal static class CalibrationApplier
{
    public static OptionTemplate Apply(OptionTemplate template, Category category, Urgency urgency, SimulationCalibration? calibration)
    {
        if (calibration is null)
        {
            return template;
        }
        var key = CalibrationKeys.Of(category, urgency, template.Kind);
        var model = template.Model;
        if (calibration.Work.TryGetValue(key, out var work) && work.MedianHours > 0)
        {
            model = model with { Work = new LogNormal(work.MedianHours, Math.Max(work.P90Hours, work.MedianHours)) };
        }
        if (calibration.CostFactor.TryGetValue(key, out var factor) && factor > 0 && double.IsFinite(factor))
        {
            model = model with
            {
                CalloutCost = model.CalloutCost * factor,
                HourlyRate = model.HourlyRate * factor,
                PartsCost = model.PartsCost.Scaled(factor),
            };
        }
        if (model.Pool is { } pool && calibration.CrewCapacity is { } crews && crews.TryGetValue(pool.Name, out var capacity) && capacity.Length == 24)
        {
            model = model with { Pool = LearnedPools.For(pool, capacity) };
        }
        if (calibration.SatisfactionShift.TryGetValue(template.Kind, out var shift) && double.IsFinite(shift))
        {
            model = model with { SatisfactionBase = Math.Clamp(model.SatisfactionBase + shift, model.SatisfactionFloor, 1) };
        }
        return ReferenceEquals(model, template.Model) ? template : template with { Model = model };
    }
}

/// <summary>
/// Configured pools with a learned crew size per hour, one per capacity table (its queue trajectory is built once, on
/// first use, and lives as long as the parameter set that holds the table).
/// </summary>
internal static class LearnedPools
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<double[], ServicePool> Pools = new();

    public static ServicePool For(ServicePool configured, double[] capacity) =>
        Pools.GetValue(capacity, c => configured.WithCapacity(c));
}
