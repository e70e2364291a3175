using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ApartmentManager.Execution.Webhooks.Subscriptions;

public static class WebhookSubscriptionServiceCollectionExtensions
{
    /// <summary>
    /// The dispatcher of event deliveries to webhook subscribers (section <c>Webhooks</c>). Hosts that run it in the
    /// background pass <paramref name="runInBackground"/>; the Functions app calls it from a timer instead.
    /// </summary>
    public static IServiceCollection AddWebhookDispatch(this IServiceCollection services, IConfiguration configuration, bool runInBackground)
    {
        services.AddOptions<WebhookDispatchOptions>()
            .Bind(configuration.GetSection(WebhookDispatchOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.BaseDelay > TimeSpan.Zero && o.MaxDelay >= o.BaseDelay && o.AttemptTimeout > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero,
                "Webhooks: BaseDelay, AttemptTimeout and PollInterval must be positive and MaxDelay at least BaseDelay.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // No redirects: a subscriber's URL is where the signed body goes, nowhere else.
        services.AddHttpClient(WebhookDispatcher.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.TryAddSingleton<WebhookDispatcher>();
        if (runInBackground)
        {
            services.AddHostedService<WebhookDispatchService>();
        }
        return services;
    }
}
