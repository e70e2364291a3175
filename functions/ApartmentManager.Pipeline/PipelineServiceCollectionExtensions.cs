using ApartmentManager.Decisions;
using ApartmentManager.Execution;
using ApartmentManager.Intelligence;
using ApartmentManager.Knowledge;
using ApartmentManager.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApartmentManager.Pipeline;

public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// The five agents and the workflow steps over them: classifier + risk model (Intelligence), knowledge base and
    /// retriever (Knowledge), simulation + decision policy (Decisions), action gateways (Execution). Needs an
    /// <see cref="Application.Ports.IRequestStore"/>.
    /// </summary>
    public static IServiceCollection AddPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddIntelligence(configuration);
        services.AddKnowledge(configuration);
        services.AddDecisions(configuration);
        services.AddExecution(configuration);
        services.TryAddSingleton<IPipelineSteps, RequestPipelineSteps>();
        return services;
    }
}
