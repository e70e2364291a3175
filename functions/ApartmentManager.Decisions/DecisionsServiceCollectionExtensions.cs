using ApartmentManager.Decisions.Describing;
using ApartmentManager.Decisions.Policy;
using ApartmentManager.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Decisions;

public static class DecisionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IOptionSimulator"/> and <see cref="IDecisionPolicy"/> with options from the <c>Decision</c>
    /// section. Uses an <c>IPolicyRetriever</c> for citations and an <see cref="IChatClient"/> for descriptions when
    /// they are registered; works without either.
    /// </summary>
    public static IServiceCollection AddDecisions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DecisionOptions>()
            .Bind(configuration.GetSection(DecisionOptions.SectionName))
            .Validate(o => o.Simulation.Runs is >= SimulationSettings.MinRuns and <= SimulationSettings.MaxRuns, "Decision:Simulation:Runs is out of range.")
            .Validate(o => o.Weights.Safety >= 0 && o.Weights.Time >= 0 && o.Weights.Cost >= 0 && o.Weights.Satisfaction >= 0 && o.Weights.Compliance >= 0
                && o.Weights.Safety + o.Weights.Time + o.Weights.Cost + o.Weights.Satisfaction + o.Weights.Compliance > 0,
                "Decision:Weights must be non-negative and not all zero.")
            .Validate(o => o.Credits.GoodwillAmount > 0 && o.Credits.GoodwillAmount <= o.Credits.MaximumCredit
                && o.Credits.AutoApproveLimit >= 0 && o.Credits.GoodwillCapPerResident >= 0 && o.Credits.GoodwillWindowDays is >= 1 and <= 3660,
                "Decision:Credits: GoodwillAmount must be positive and at most MaximumCredit; AutoApproveLimit and GoodwillCapPerResident non-negative; GoodwillWindowDays 1 to 3660.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddLlm(configuration);
        services.TryAddSingleton<IOptionDescriber>(sp => sp.GetRequiredService<ILlmRouter>() is { IsAvailable: true } router
            ? new ChatOptionDescriber(router, sp.GetRequiredService<PromptCatalog>(), sp.GetService<ILogger<ChatOptionDescriber>>())
            : NoOptionDescriber.Instance);
        // The learned parameters (ApartmentManager.Learning replaces this source); the configured priors without it.
        services.TryAddSingleton<Calibration.ICalibrationSource>(Calibration.PriorsOnlyCalibrationSource.Instance);
        services.TryAddSingleton(sp => new Calibration.OptionForecaster(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DecisionOptions>>().Value));
        services.TryAddSingleton<IOptionSimulator, OptionSimulator>();
        services.TryAddSingleton<IDecisionPolicy, DecisionPolicy>();
        // The re-check of the option about to be carried out (needs the host's IRequestStore for the goodwill history).
        services.TryAddSingleton<GoodwillHistory>();
        services.TryAddSingleton<OptionGate>();
        services.TryAddSingleton<ApartmentManager.Application.Ports.IOptionGate>(sp => sp.GetRequiredService<OptionGate>());
        return services;
    }
}
