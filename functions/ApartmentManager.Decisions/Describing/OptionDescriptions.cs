using System.Globalization;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Describing;

/// <summary>The non-LLM description: the option's summary plus its simulated figures in plain words.</summary>
public static class OptionDescriptions
{
    public static string Template(string summary, OptionSimulation s) => string.Create(CultureInfo.InvariantCulture,
        $"{summary} Typically resolved in about {Hours(s.P50Hours)} (9 in 10 within {Hours(s.P90Hours)}); expected cost {s.ExpectedCost:0} " +
        $"(range {s.CostLow:0}–{s.CostHigh:0}); chance it escalates {s.EscalationProbability:P0}.");

    private static string Hours(double h) => h < 48
        ? string.Create(CultureInfo.InvariantCulture, $"{h:0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"{h / 24:0.#} days");
}
