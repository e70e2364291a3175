using ApartmentManager.Decisions.Simulation;

namespace ApartmentManager.Decisions.Options;

/// <summary>A generated option before simulation: what it is, its stochastic model, and how to find the policy behind it.</summary>
/// <param name="Amount">Money the option moves by itself (a credit given, a charge raised), if any.</param>
/// <param name="Dispatch">True when the option sends someone to the unit without waiting for a booked slot.</param>
internal sealed record OptionTemplate(
    string Kind,
    string Title,
    string Summary,
    OptionModel Model,
    string PolicyQuery,
    decimal? Amount = null,
    bool Dispatch = false);
