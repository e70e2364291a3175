using ApartmentManager.Decisions;
using ApartmentManager.Execution;
using ApartmentManager.Intelligence;
using ApartmentManager.Knowledge;
using ApartmentManager.Learning;
using ApartmentManager.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApartmentManager.Pipeline;

public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// The five agents and the workflow steps over them: classifier + risk model (Intelligence), knowledge base and
    /// retriever (Knowledge), simulation + decision policy (Decisions), action gateways (Execution), the learning
    /// engine (Learning). Needs an <see cref="Application.Ports.IRequestStore"/>, and for learning an
    /// <c>IOutcomeStore</c> and <c>IParameterSetStore</c> (both store adapters register them).
    /// </summary>
    public static IServiceCollection AddPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddIntelligence(configuration);
        services.AddKnowledge(configuration);
        services.AddDecisions(configuration);
        // Learning from outcomes: the simulation and the risk step read the active learned parameters (the host's
        // store adapter supplies the outcome and parameter-set stores; without them, the configured priors).
        services.AddLearning(configuration);
        services.AddExecution(configuration);
        services.AddOptions<LifecycleOptions>()
            .Bind(configuration.GetSection(LifecycleOptions.SectionName))
            .Validate(o => o.ConfirmationWindowHours > 0 && o.EscalateAfterReopens >= 1 && !string.IsNullOrWhiteSpace(o.OnCallManager),
                "Lifecycle: ConfirmationWindowHours must be positive, EscalateAfterReopens at least 1, OnCallManager set.")
            .Validate(o => o.Questions.BelowConfidence is >= 0 and <= 1 && o.Questions.MaxQuestions is >= 0 and <= 2 && o.Questions.ReplySlaHours > 0,
                "Lifecycle:Questions: BelowConfidence 0 to 1, MaxQuestions 0 to 2, ReplySlaHours positive.")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new QuestionPhraser(sp.GetRequiredService<ApartmentManager.Llm.ILlmRouter>(),
            sp.GetRequiredService<ApartmentManager.Llm.PromptCatalog>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<QuestionPhraser>>(),
            sp.GetService<ApartmentManager.Intelligence.Llm.LlmTokenBudget>()));
        services.TryAddSingleton<IPipelineSteps, RequestPipelineSteps>();
        return services;
    }
}
