using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using ApartmentManager.Execution.Embedded;
using ApartmentManager.Execution.Gateways;
using ApartmentManager.Execution.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ApartmentManager.Execution;

public static class ExecutionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IActionExecutor"/>, the execution log (SQLite, unless an <see cref="IExecutionLog"/> is
    /// registered already) and the three gateways. <c>Execution:Mode</c> picks the adapters:
    /// <c>embedded</c> (default; rows in <c>{Storage:DataDirectory}/executions.db</c>) or <c>webhook</c>
    /// (<c>Execution:Webhook:*Url</c>, <c>SigningSecret</c>, retry / breaker / timeout settings).
    /// </summary>
    public static IServiceCollection AddExecution(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExecutionOptions>()
            .Bind(configuration.GetSection(ExecutionOptions.SectionName))
            // Every database lives under Storage:DataDirectory (or its default), whatever the Execution section says.
            .PostConfigure(o => o.DataDirectory = new ApartmentManager.Adapters.Sqlite.StorageOptions { DataDirectory = configuration["Storage:DataDirectory"] }.ResolveDataDirectory())
            .Validate(o => o.Mode != ExecutionMode.Webhook || o.Webhook.SigningSecret.Length >= 16,
                "Execution:Webhook:SigningSecret must be at least 16 characters in webhook mode.")
            .Validate(o => o.Mode != ExecutionMode.Webhook
                    || (o.Webhook.WorkOrdersUrl is not null && o.Webhook.NotificationsUrl is not null && o.Webhook.LedgerUrl is not null),
                "Execution:Webhook:WorkOrdersUrl, NotificationsUrl and LedgerUrl are required in webhook mode.")
            .Validate(o => o.Webhook.MaxRetries is >= 1 and <= 10, "Execution:Webhook:MaxRetries must be 1–10.")
            .Validate(o => o.LeaseSeconds > 0 && o.LeasePollMilliseconds > 0, "Execution:LeaseSeconds and Execution:LeasePollMilliseconds must be positive.")
            .Validate(o => o.Mode != ExecutionMode.Webhook || o.LeaseSeconds > o.Webhook.TotalTimeoutSeconds,
                "Execution:LeaseSeconds must exceed Execution:Webhook:TotalTimeoutSeconds, or a live sender's claim could be taken over.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ExecutionDatabase(sp.GetRequiredService<IOptions<ExecutionOptions>>().Value.DatabasePath));
        // The execution log: SQLite in executions.db unless a host registered another adapter first (the Functions app:
        // Cosmos DB, shared by every instance).
        services.TryAddSingleton<IExecutionLog>(sp => new SqliteExecutionLog(sp.GetRequiredService<ExecutionDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IActionExecutor, ActionExecutor>();

        var mode = configuration.GetValue(ExecutionOptions.SectionName + ":Mode", ExecutionMode.Embedded);
        if (mode == ExecutionMode.Webhook)
        {
            services.AddTransient<AttemptCountingHandler>();
            services.TryAddSingleton<WebhookClient>();
            foreach (string name in new[] { WebhookWorkOrderGateway.ClientName, WebhookNotificationGateway.ClientName, WebhookBillingLedgerGateway.ClientName })
            {
                // One client (so one circuit breaker) per external system: a failing ledger must not trip notifications.
                var client = services.AddHttpClient(name);
                client.AddResilienceHandler(name, static (builder, context) =>
                    {
                        var o = context.ServiceProvider.GetRequiredService<IOptionsMonitor<ExecutionOptions>>().CurrentValue.Webhook;
                        builder
                            .AddTimeout(TimeSpan.FromSeconds(o.TotalTimeoutSeconds))
                            .AddRetry(new HttpRetryStrategyOptions
                            {
                                MaxRetryAttempts = o.MaxRetries,
                                BackoffType = DelayBackoffType.Exponential,
                                UseJitter = true,
                                Delay = TimeSpan.FromMilliseconds(o.BaseDelayMilliseconds),
                            })
                            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                            {
                                FailureRatio = o.BreakerFailureRatio,
                                MinimumThroughput = o.BreakerMinimumThroughput,
                                SamplingDuration = TimeSpan.FromSeconds(o.BreakerSamplingSeconds),
                                BreakDuration = TimeSpan.FromSeconds(o.BreakerBreakSeconds),
                            })
                            .AddTimeout(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds));
                    });
                // Added after the resilience handler, so it sits inside it and sees every attempt.
                client.AddHttpMessageHandler<AttemptCountingHandler>();
            }
            services.TryAddSingleton<IWorkOrderGateway, WebhookWorkOrderGateway>();
            services.TryAddSingleton<INotificationGateway, WebhookNotificationGateway>();
            services.TryAddSingleton<IBillingLedgerGateway, WebhookBillingLedgerGateway>();
        }
        else
        {
            services.TryAddSingleton<IWorkOrderGateway, EmbeddedWorkOrderGateway>();
            services.TryAddSingleton<INotificationGateway, EmbeddedNotificationGateway>();
            services.TryAddSingleton<IBillingLedgerGateway, EmbeddedBillingLedgerGateway>();
        }
        return services;
    }
}
