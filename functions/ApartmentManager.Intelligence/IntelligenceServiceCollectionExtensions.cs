using Microsoft.Extensions.DependencyInjection.Extensions;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Llm;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Llm;
using ApartmentManager.Scoring;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Intelligence;

public static class IntelligenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IRequestClassifier"/> and <see cref="IRiskPredictor"/> (singletons; ONNX sessions are
    /// thread-safe) bound to the "Intelligence" section. The LLM stage is used only if a model is registered
    /// (an <see cref="IChatClient"/> or <c>LlmModel</c>s, e.g. by AddAzureOpenAIChatClient); without one, classification is rules + model.
    /// </summary>
    public static IServiceCollection AddIntelligence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IntelligenceOptions>()
            .Bind(configuration.GetSection(IntelligenceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddLlm(configuration);
        services.AddOptions<LlmBudgetOptions>().Bind(configuration.GetSection(LlmBudgetOptions.Section))
            .Validate(o => o.DailyTokensPerSubject >= 0 && o.MaxConcurrentCalls > 0 && o.EstimatedTokensPerCall > 0,
                "Limits:Llm needs DailyTokensPerSubject >= 0, MaxConcurrentCalls > 0 and EstimatedTokensPerCall > 0.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LlmTokenBudget>();
        services.AddSentenceEncoder(configuration);
        services.AddSingleton<OnnxTextModel>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<IntelligenceOptions>>().Value;
            var headsPath = o.ResolvePath(o.EncoderHeadsFile);
            if (!o.UseEncoder || !File.Exists(headsPath))
            {
                return new TextModelStage(sp.GetRequiredService<OnnxTextModel>(), null, null);
            }
            // The in-process encoder (shared, cached): the message embedded here is not encoded again elsewhere.
            var embedder = sp.GetRequiredService<EncoderTextEmbedder>();
            return new TextModelStage(sp.GetRequiredService<OnnxTextModel>(), new OnnxEncoderHeads(headsPath, o.IntraOpThreads), embedder.EmbedManyAsync);
        });
        services.AddSingleton<IRiskPredictor, OnnxRiskPredictor>();
        services.AddSingleton<IRequestClassifier>(sp =>
        {
            var router = sp.GetRequiredService<ILlmRouter>();
            var llm = router.IsAvailable
                ? new LlmClassificationStage(router, sp.GetRequiredService<PromptCatalog>(), sp.GetRequiredService<ILogger<LlmClassificationStage>>())
                : null;
            return new RequestClassifier(
                sp.GetRequiredService<OnnxTextModel>(),
                sp.GetRequiredService<IOptions<IntelligenceOptions>>(),
                llm,
                sp.GetRequiredService<ILogger<RequestClassifier>>(),
                budget: sp.GetRequiredService<LlmTokenBudget>(),
                stage: sp.GetRequiredService<TextModelStage>());
        });
        return services;
    }
}
