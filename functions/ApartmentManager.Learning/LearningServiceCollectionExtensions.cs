using ApartmentManager.Application.Audit;
using ApartmentManager.Decisions.Calibration;
using ApartmentManager.Learning.Outcomes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApartmentManager.Learning;

public static class LearningServiceCollectionExtensions
{
    /// <summary>
    /// Registers the learning engine (section <c>Learning</c>) and makes the simulation and the risk step read the
    /// active learned parameters. The host registers an <see cref="IOutcomeStore"/> and a
    /// <see cref="Parameters.IParameterSetStore"/> (SQLite or Cosmos DB adapters). Call before <c>AddDecisions</c> or after:
    /// the calibration source is replaced either way.
    /// </summary>
    public static IServiceCollection AddLearning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LearningOptions>()
            .Bind(configuration.GetSection(LearningOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<OutcomeCollector>();
        services.TryAddSingleton<ActiveCalibrationSource>();
        services.RemoveAll<ICalibrationSource>();
        services.AddSingleton<ICalibrationSource>(sp => sp.GetService<Parameters.IParameterSetStore>() is null
            ? PriorsOnlyCalibrationSource.Instance
            : sp.GetRequiredService<ActiveCalibrationSource>());
        services.TryAddSingleton<Risk.RiskModels>();
        // The risk step uses the active set's retrained model (when it has one) instead of the configured one.
        services.TryAddSingleton<ApartmentManager.Intelligence.Risk.IRiskModelSource>(sp => sp.GetService<Parameters.IParameterSetStore>() is null
            ? ConfiguredRiskModelOnly.Instance
            : sp.GetRequiredService<Risk.RiskModels>());
        services.TryAddSingleton<LearningEngine>();
        return services;
    }

    /// <summary>The nightly run as a background service (the single-node host).</summary>
    public static IServiceCollection AddLearningSchedule(this IServiceCollection services)
    {
        services.AddHostedService<LearningSchedule>();
        return services;
    }
}

/// <summary>No learning store: the risk step always uses the configured model.</summary>
internal sealed class ConfiguredRiskModelOnly : ApartmentManager.Intelligence.Risk.IRiskModelSource
{
    public static readonly ConfiguredRiskModelOnly Instance = new();

    public ValueTask<ApartmentManager.Intelligence.Risk.IRiskPredictor?> GetActiveAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<ApartmentManager.Intelligence.Risk.IRiskPredictor?>(null);
}
