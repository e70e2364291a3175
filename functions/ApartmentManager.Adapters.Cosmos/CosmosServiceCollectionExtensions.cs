using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Webhooks;
using Azure.Core;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Adapters.Cosmos;

public static class CosmosServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Cosmos DB request store from section <c>CosmosDb</c> (see <see cref="CosmosDbOptions"/>): one
    /// shared <see cref="CosmosClient"/> (a <see cref="TokenCredential"/> registered in the container is used when
    /// no key is configured), <see cref="IRequestStore"/>, and the create-if-not-exists start-up step.
    /// </summary>
    public static IServiceCollection AddCosmosRequestStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CosmosDbOptions>()
            .Bind(configuration.GetSection(CosmosDbOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.AccountEndpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback),
                $"{CosmosDbOptions.Section}:AccountEndpoint must be an absolute https URI (plain http only on loopback, for the local test server).")
            .ValidateOnStart();
        services.TryAddSingleton(sp => CosmosClientFactory.Create(
            sp.GetRequiredService<IOptions<CosmosDbOptions>>().Value, sp.GetService<TokenCredential>()));
        services.TryAddSingleton<CosmosRequestStore>();
        services.TryAddSingleton<IRequestStore>(sp => sp.GetRequiredService<CosmosRequestStore>());
        // Beside the requests: recorded events, webhook subscriptions and deliveries, the audit trail, erasure.
        services.TryAddSingleton<CosmosPlatform>();
        services.TryAddSingleton<CosmosEventLog>();
        services.TryAddSingleton<IEventLog>(sp => sp.GetRequiredService<CosmosEventLog>());
        services.TryAddSingleton<IWebhookStore, CosmosWebhookStore>();
        services.TryAddSingleton<IAuditLog, CosmosAuditLog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonalDataHolder, CosmosResidentEraser>());
        services.TryAddSingleton<IResidentDirectory, CosmosResidentDirectory>();
        // The execution log every instance shares (claims with leases), and the erasure of its action payloads.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CosmosExecutionLog>();
        services.TryAddSingleton<IExecutionLog>(sp => sp.GetRequiredService<CosmosExecutionLog>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonalDataHolder, CosmosExecutionLog>(sp => sp.GetRequiredService<CosmosExecutionLog>()));
        // The learning engine's outcome data set and parameter sets.
        services.TryAddSingleton<CosmosLearningStore>();
        services.TryAddSingleton<ApartmentManager.Learning.Outcomes.IOutcomeStore>(sp => sp.GetRequiredService<CosmosLearningStore>());
        services.TryAddSingleton<ApartmentManager.Learning.Parameters.IParameterSetStore>(sp => sp.GetRequiredService<CosmosLearningStore>());
        services.AddHostedService<CosmosStoreInitializer>();
        return services;
    }
}
