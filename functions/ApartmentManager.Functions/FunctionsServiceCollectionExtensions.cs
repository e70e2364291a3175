using ApartmentManager.Adapters.AzureOpenAI;
using ApartmentManager.Adapters.Cosmos;
using ApartmentManager.Adapters.Inference;
using ApartmentManager.Api;
using ApartmentManager.Api.Http;
using ApartmentManager.Api.Observability;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using ApartmentManager.Execution.Webhooks.Subscriptions;
using ApartmentManager.Functions.Hosting;
using ApartmentManager.Functions.Platform;
using ApartmentManager.Workflow.Durable;
using ApartmentManager.Pipeline;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Functions;

public static class FunctionsServiceCollectionExtensions
{
    /// <summary>
    /// The Functions app's whole composition: the shared API services and the pipeline over the Cosmos DB store, with
    /// Durable Functions as the workflow engine and, with <c>Inference:Mode</c> = remote, the GPU inference app behind
    /// the text models (falling back to in-process CPU). The <c>DurableTaskClient</c> arrives per invocation through a
    /// <c>[DurableClient]</c> binding, not from DI, so the gateway and everything that uses it
    /// (<see cref="RequestService"/>) are scoped to the invocation, and <see cref="DurableClientMiddleware"/> hands the
    /// bound client to the invocation's <see cref="DurableClientScope"/>.
    /// </summary>
    public static IServiceCollection AddApartmentManagerFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDurableWorkflow();
        // Registered before AddApartmentManagerApi, whose TryAdd defaults (singleton, no workflow engine) then stand down.
        services.AddScoped<RequestService>();
        services.AddApartmentManagerApi();

        services.AddOptions<EasyAuthOptions>().Bind(configuration.GetSection(EasyAuthOptions.Section));
        // Limits:* as in single node: the residents' caps the handlers apply, and the per-caller rates CallerLimitMiddleware applies.
        services.AddCallerLimitOptions(configuration);
        services.AddSingleton<CallerLimitMiddleware>();
        services.AddCosmosRequestStore(configuration);
        // The pipeline the activities and the executions queue delegate to (IPipelineSteps).
        // The LLM is optional everywhere: registered only when AzureOpenAI:Endpoint and :Deployment are set.
        services.AddAzureOpenAIChatClient(configuration);
        services.AddPipeline(configuration);
        services.AddRemoteInference(configuration);
        // Domain events recorded from the requests' change feed and delivered to webhook subscribers by the timer-triggered
        // OutboxDispatchFunction (one instance at a time across the app's instances), not by a worker-hosted loop.
        services.AddWebhookDispatch(configuration, runInBackground: false);
        // The domain events, also on the Service Bus topic request-events (the outbox dispatcher publishes each new one).
        services.AddServiceBusDomainEvents(configuration);
        // Traces, metrics and logs into Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING) and/or OTLP.
        // The worker's own invocation spans join the trace the Functions host started (HTTP, Service Bus, Durable).
        services.AddApartmentManagerTelemetry(configuration).AddOpenTelemetry().UseFunctionsWorkerDefaults();
        return services;
    }
}
