using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Execution.Webhooks.Subscriptions;

/// <summary>Runs the <see cref="WebhookDispatcher"/> in the background: at once while there is work, else every poll interval.</summary>
public sealed partial class WebhookDispatchService(
    WebhookDispatcher dispatcher,
    IOptions<WebhookDispatchOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await dispatcher.RunOnceAsync(stoppingToken) > 0)
                {
                    continue;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(e);
            }
            try
            {
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "A webhook dispatch pass failed; retrying after the poll interval")]
    private partial void LogPassFailed(Exception exception);
}
