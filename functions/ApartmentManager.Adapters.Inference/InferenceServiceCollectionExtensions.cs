using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Scoring;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace ApartmentManager.Adapters.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// With <c>Inference:Mode</c> = remote, routes the text-model stage of <see cref="IRequestClassifier"/>,
    /// <see cref="IRiskPredictor"/> and <see cref="ITextEmbedder"/> to the server at <c>Inference:BaseUrl</c>, each
    /// falling back to the in-process registration it decorates. With inprocess (the default) it changes nothing.
    /// Call it after <c>AddIntelligence</c> and/or <c>AddKnowledge</c>.
    /// </summary>
    public static IServiceCollection AddRemoteInference(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(InferenceClientOptions.SectionName);
        services.AddOptions<InferenceClientOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .Validate(o => o.Mode != InferenceMode.Remote || o.BaseUrl is { IsAbsoluteUri: true }, "Inference:BaseUrl must be an absolute URL when Inference:Mode is remote.")
            .Validate(o => o.TotalTimeoutSeconds >= o.AttemptTimeoutSeconds, "Inference:TotalTimeoutSeconds must be at least Inference:AttemptTimeoutSeconds.")
            .ValidateOnStart();
        var probe = section.Get<InferenceClientOptions>() ?? new InferenceClientOptions();
        if (probe.Mode != InferenceMode.Remote)
        {
            return services;
        }

        services.AddHttpClient<InferenceClient>((sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<InferenceClientOptions>>().Value;
                http.BaseAddress = o.BaseUrl;
                // The resilience pipeline owns every timeout.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddResilienceHandler("inference", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<InferenceClientOptions>>().Value;
                pipeline
                    .AddTimeout(TimeSpan.FromSeconds(o.TotalTimeoutSeconds))
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(1, o.MaxRetries),
                        ShouldHandle = o.MaxRetries == 0 ? _ => PredicateResult.False() : new HttpRetryStrategyOptions().ShouldHandle,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromSeconds(o.RetryDelaySeconds),
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = o.BreakerFailureRatio,
                        MinimumThroughput = o.BreakerMinimumThroughput,
                        SamplingDuration = TimeSpan.FromSeconds(o.BreakerSamplingSeconds),
                        BreakDuration = TimeSpan.FromSeconds(o.BreakDurationSeconds),
                    })
                    .AddTimeout(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds));
            });

        var decorated = 0;
        decorated += Decorate<IRequestClassifier>(services, (sp, inner) => new RemoteRequestClassifier(
            inner, sp.GetRequiredService<InferenceClient>(), sp.GetRequiredService<IOptions<IntelligenceOptions>>(),
            llmConfigured: sp.GetService<IChatClient>() is not null, sp.GetRequiredService<ILogger<RemoteRequestClassifier>>()));
        decorated += Decorate<IRiskPredictor>(services, (sp, inner) => new RemoteRiskPredictor(
            inner, sp.GetRequiredService<InferenceClient>(), sp.GetRequiredService<ILogger<RemoteRiskPredictor>>()));
        decorated += Decorate<ITextEmbedder>(services, (sp, inner) => new RemoteTextEmbedder(
            inner, sp.GetRequiredService<InferenceClient>(), sp.GetRequiredService<ILogger<RemoteTextEmbedder>>()));
        if (decorated == 0)
        {
            throw new InvalidOperationException("AddRemoteInference decorates the in-process models: call AddIntelligence and/or AddKnowledge first.");
        }
        return services;
    }

    /// <summary>Replaces the last registration of <typeparamref name="T"/> by <paramref name="decorate"/>(original); 0 when there is none.</summary>
    private static int Decorate<T>(IServiceCollection services, Func<IServiceProvider, T, T> decorate) where T : class
    {
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(T) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }
        if (index < 0)
        {
            return 0;
        }
        var original = services[index];
        services[index] = ServiceDescriptor.Describe(typeof(T), sp => decorate(sp, (T)Create(sp, original)), original.Lifetime);
        return 1;
    }

    private static object Create(IServiceProvider sp, ServiceDescriptor d) =>
        d.ImplementationInstance
        ?? d.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!);
}
