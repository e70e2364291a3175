using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using ApartmentManager.Functions.Http;
using ApartmentManager.Functions.Messaging;
using ApartmentManager.Functions.Workflow;
using ApartmentManager.Workflow.Durable;
using ApartmentManager.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Functions.Tests;

/// <summary>The app's whole service composition (what Program.cs registers) builds, with no scoped service captured by a singleton.</summary>
public sealed class CompositionTests
{
    [Fact]
    public void The_functions_app_composition_is_valid_and_scoped_per_invocation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CosmosDb:AccountEndpoint"] = "https://example.documents.azure.com:443/",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddApartmentManagerFunctions(configuration);

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Contains(services, d => d.ServiceType == typeof(IPipelineSteps));
        Assert.Contains(services, d => d.ServiceType == typeof(IRequestStore));
        using var scope = provider.CreateScope();
        var gateway = scope.ServiceProvider.GetRequiredService<IWorkflowGateway>();
        Assert.IsType<DurableWorkflowGateway>(gateway);
        Assert.Same(gateway, scope.ServiceProvider.GetRequiredService<IWorkflowStatusReader>());
        Assert.Same(scope.ServiceProvider.GetRequiredService<RequestService>(), scope.ServiceProvider.GetRequiredService<RequestService>());
        using var other = provider.CreateScope();
        Assert.NotSame(gateway, other.ServiceProvider.GetRequiredService<IWorkflowGateway>());
    }

    [Fact]
    public void The_execution_log_is_the_cosmos_one_every_instance_shares_and_its_payloads_are_erased()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CosmosDb:AccountEndpoint"] = "https://example.documents.azure.com:443/",
            ["CosmosDb:Key"] = Convert.ToBase64String("not-a-real-key-not-a-real-key"u8),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddApartmentManagerFunctions(configuration);
        using var provider = services.BuildServiceProvider();

        // Creating the client does not connect: nothing here talks to Azure.
        var log = Assert.IsType<ApartmentManager.Adapters.Cosmos.CosmosExecutionLog>(provider.GetRequiredService<IExecutionLog>());
        Assert.Equal("executions", log.Container.Id);
        Assert.Contains(provider.GetServices<ApartmentManager.Application.Privacy.IPersonalDataHolder>(), h => ReferenceEquals(h, log));
    }
}
