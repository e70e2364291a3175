using ApartmentManager.Application.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Workflow.Durable;

public static class DurableWorkflowServiceCollectionExtensions
{
    /// <summary>
    /// The workflow gateway and status reader over the Durable Task engine, scoped per invocation: each scope's
    /// <see cref="DurableClientScope"/> carries that invocation's client.
    /// </summary>
    public static IServiceCollection AddDurableWorkflow(this IServiceCollection services)
    {
        services.AddScoped<DurableClientScope>();
        services.AddScoped<DurableWorkflowGateway>();
        services.AddScoped<IWorkflowGateway>(sp => sp.GetRequiredService<DurableWorkflowGateway>());
        services.AddScoped<IWorkflowStatusReader>(sp => sp.GetRequiredService<DurableWorkflowGateway>());
        return services;
    }
}
