using ApartmentManager.Application.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Workflow.Embedded;

public static class EmbeddedWorkflowServiceCollectionExtensions
{
    /// <summary>
    /// Runs workflows in process, checkpointed in <c>Storage:DataDirectory</c>/requests.db beside the requests (one
    /// transaction for a step's write and the engine's record; an older data directory's <c>workflow.db</c> is imported
    /// on start). Needs an <see cref="IPipelineSteps"/>.
    /// </summary>
    public static IServiceCollection AddEmbeddedWorkflow(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EmbeddedWorkflowOptions>(configuration.GetSection(EmbeddedWorkflowOptions.Section));
        services.AddSingleton<EmbeddedWorkflowRunner>();
        services.AddSingleton<IWorkflowGateway>(sp => sp.GetRequiredService<EmbeddedWorkflowRunner>());
        services.AddSingleton<IWorkflowStatusReader>(sp => sp.GetRequiredService<EmbeddedWorkflowRunner>());
        services.AddHostedService(sp => sp.GetRequiredService<EmbeddedWorkflowRunner>());
        return services;
    }
}
