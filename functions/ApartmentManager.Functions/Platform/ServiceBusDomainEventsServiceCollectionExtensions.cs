using ApartmentManager.Application.Events;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Functions.Platform;

public static class ServiceBusDomainEventsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ServiceBusDomainEventPublisher"/> when the identity-based Service Bus connection is configured
    /// (<c>ServiceBusConnection__fullyQualifiedNamespace</c>, optionally <c>__clientId</c> for a user-assigned identity):
    /// one <see cref="ServiceBusClient"/> for the app, a sender for topic <c>request-events</c>. Without the setting
    /// (local runs, tests) no topic is published to; webhook subscribers still get every event.
    /// </summary>
    public static IServiceCollection AddServiceBusDomainEvents(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ServiceBusDomainEventPublisher.Connection);
        var fullyQualifiedNamespace = section["fullyQualifiedNamespace"];
        if (string.IsNullOrWhiteSpace(fullyQualifiedNamespace))
        {
            return services;
        }
        var clientId = section["clientId"];
        services.AddSingleton(_ => new ServiceBusClient(fullyQualifiedNamespace,
            new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId })));
        services.AddSingleton<IDomainEventPublisher>(sp =>
            new ServiceBusDomainEventPublisher(sp.GetRequiredService<ServiceBusClient>().CreateSender(ServiceBusDomainEventPublisher.Topic)));
        return services;
    }
}
