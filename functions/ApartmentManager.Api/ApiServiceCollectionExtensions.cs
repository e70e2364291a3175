using ApartmentManager.Api.Http;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Requests;
using ApartmentManager.Application.Webhooks;
using ApartmentManager.Application.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApartmentManager.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The application services the API handlers need. Hosts add a store and, optionally, a workflow engine.</summary>
    public static IServiceCollection AddApartmentManagerApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NoWorkflowGateway>();
        services.TryAddSingleton<IWorkflowGateway>(sp => sp.GetRequiredService<NoWorkflowGateway>());
        services.TryAddSingleton<IWorkflowStatusReader>(sp => sp.GetRequiredService<NoWorkflowGateway>());
        services.TryAddSingleton<RequestService>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<WebhookService>();
        services.TryAddSingleton<PrivacyService>();
        // The resident directory (whichever store the host registered) is a personal-data holder like the others.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonalDataHolder, ResidentDirectoryEraser>());
        services.TryAddScoped<UsageReportService>();
        services.AddOptions<Requests.WorkOrderHookOptions>().BindConfiguration(Requests.WorkOrderHookOptions.SectionName)
            .Validate(o => o.ToleranceSeconds is > 0 and <= 3600, "Hooks:WorkOrders:ToleranceSeconds must be between 1 and 3600.")
            .ValidateOnStart();
        services.TryAddSingleton<ApartmentManager.Application.Residents.ResidentDirectoryService>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        return services;
    }
}
