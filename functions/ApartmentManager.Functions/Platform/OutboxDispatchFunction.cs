using ApartmentManager.Execution.Webhooks.Subscriptions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Functions.Platform;

/// <summary>
/// The outbox dispatcher of the Functions app, on a timer trigger: every <see cref="Schedule"/> it records the domain
/// events of new history entries from the requests' change feed (from its saved continuation) and fans them out to the
/// webhook subscriptions (<c>platform</c> container), then sends the deliveries that are due — pass after pass while
/// there is work, for at most <see cref="MaxRunTime"/>. The Functions host runs a timer function on one instance at a
/// time (a blob lease), so the change-feed continuation has one reader; a run that dies midway is finished by the next
/// (every step is idempotent, deliveries are at least once with a stable event id).
/// </summary>
public sealed partial class OutboxDispatchFunction(WebhookDispatcher dispatcher, TimeProvider clock, ILogger<OutboxDispatchFunction> logger)
{
    public const string Name = "DispatchOutbox";

    /// <summary>Every 10 seconds (NCRONTAB with seconds).</summary>
    public const string Schedule = "*/10 * * * * *";

    /// <summary>A run stops starting new passes after this, so runs do not pile up behind the schedule.</summary>
    public static readonly TimeSpan MaxRunTime = TimeSpan.FromSeconds(8);

    [Function(Name)]
    public Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        DrainAsync(timer?.IsPastDue == true, cancellationToken);

    /// <summary>Passes of the dispatcher while there is work (at most <see cref="MaxRunTime"/>); the delivery attempts made.</summary>
    internal async Task<int> DrainAsync(bool pastDue, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var attempted = 0;
        int pass;
        do
        {
            pass = await dispatcher.RunOnceAsync(cancellationToken);
            attempted += pass;
        }
        while (pass > 0 && clock.GetElapsedTime(started) < MaxRunTime && !cancellationToken.IsCancellationRequested);
        if (attempted > 0)
        {
            LogRun(attempted, clock.GetElapsedTime(started).TotalMilliseconds, pastDue);
        }
        return attempted;
    }

    [LoggerMessage(LogLevel.Information, "Outbox dispatch: {Attempted} webhook delivery attempt(s) in {ElapsedMs:0} ms (past due: {PastDue})")]
    private partial void LogRun(int attempted, double elapsedMs, bool pastDue);
}
