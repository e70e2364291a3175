using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Learning;

/// <summary>
/// Runs learning once a day at <see cref="LearningOptions.RunAtHourUtc"/> (the single-node host; the Functions app
/// uses a timer trigger instead). A failed run is logged and tried again the next day.
/// </summary>
public sealed partial class LearningSchedule(IServiceProvider services, IOptions<LearningOptions> options, TimeProvider clock, ILogger<LearningSchedule> logger)
    : BackgroundService
{
    /// <summary>The next run time after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, int hourUtc)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date.AddHours(hourUtc), TimeSpan.Zero);
        return today > now ? today : today.AddDays(1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = NextRun(now, options.Value.RunAtHourUtc);
            try
            {
                await Task.Delay(next - now, clock, stoppingToken).ConfigureAwait(false);
                var result = await services.GetRequiredService<LearningEngine>().RunAsync(LearningEngine.System, stoppingToken).ConfigureAwait(false);
                LogScheduledRun(result.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogScheduledRunFailed(e);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Scheduled learning run: {Message}")]
    private partial void LogScheduledRun(string message);

    [LoggerMessage(LogLevel.Error, "Scheduled learning run failed; it runs again tomorrow")]
    private partial void LogScheduledRunFailed(Exception e);
}
