using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Webhooks;
using ApartmentManager.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Execution.Webhooks.Subscriptions;

/// <summary>
/// The outbox dispatcher, run by both hosts (single node: a background service; Functions: a timer trigger). Hands every
/// new domain event to the host's <see cref="IDomainEventPublisher"/>s (the Service Bus topic in Azure) and carries it
/// to webhook subscribers: fans new events out into deliveries (one per matching subscription),
/// then posts each due delivery signed with its subscription's secret (<see cref="WebhookSignature"/>: the same scheme
/// as the execution webhooks). A failed attempt is retried with exponential backoff and jitter; after
/// <see cref="WebhookDispatchOptions.MaxAttempts"/> the delivery is dead-lettered. At least once: a crash between the
/// POST and recording its outcome sends it again, with the same <c>X-Event-Id</c> for the receiver to deduplicate.
/// </summary>
public sealed partial class WebhookDispatcher(
    IWebhookStore store,
    IEnumerable<IDomainEventPublisher> publishers,
    IHttpClientFactory httpClientFactory,
    IOptions<WebhookDispatchOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger)
{
    public const string ClientName = "webhook-subscriptions";
    public const string EventIdHeader = "X-Event-Id";
    public const string EventTypeHeader = "X-Event-Type";
    public const string DeliveryIdHeader = "X-Delivery-Id";
    public const string TraceParentHeader = "traceparent";

    /// <summary>One pass: fan out every new event, then attempt every due delivery. Returns the deliveries attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        while (await store.FanOutAsync(o.BatchSize, clock.GetUtcNow(), PublishAsync, ct) == o.BatchSize)
        {
        }
        var due = await store.DueAsync(clock.GetUtcNow(), o.BatchSize, ct);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = o.Parallelism, CancellationToken = ct },
            async (delivery, token) => await store.RecordAttemptAsync(delivery.Delivery.Id, await AttemptAsync(delivery, token), token));
        return due.Count;
    }

    /// <summary>New events to the host's topic (Service Bus in Azure; none in single node, whose event table is the topic).</summary>
    private async Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken ct)
    {
        foreach (var publisher in publishers)
        {
            await publisher.PublishAsync(events, ct);
            LogPublished(events.Count, publisher.Name);
        }
    }

    private async Task<DeliveryAttempt> AttemptAsync(DueDelivery due, CancellationToken ct)
    {
        var o = options.Value;
        var body = Encoding.UTF8.GetBytes(due.Payload);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, due.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(due.Secret, timestamp, body));
        request.Headers.Add(WebhookSignature.IdempotencyKeyHeader, due.Delivery.EventId);
        request.Headers.Add(EventIdHeader, due.Delivery.EventId);
        request.Headers.Add(EventTypeHeader, due.Delivery.EventType);
        request.Headers.Add(DeliveryIdHeader, due.Delivery.Id);
        // The trace context recorded when the event was created: the attempt's span is its child, and the receiver gets
        // that span's traceparent (or the recorded one when this process is not tracing), so its trace joins the request's.
        var recorded = TraceParentOf(due.Payload);
        using var span = GatewayTelemetry.StartDelivery(due.Delivery.EventType, due.Delivery.EventId, due.Delivery.Id, recorded);
        if ((span?.Id ?? recorded) is { } traceParent)
        {
            request.Headers.TryAddWithoutValidation(TraceParentHeader, traceParent);
        }

        int? status = null;
        string? error;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.AttemptTimeout);
        try
        {
            using var response = await httpClientFactory.CreateClient(ClientName).SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                LogDelivered(due.Delivery.Id, due.Delivery.EventId, due.Delivery.SubscriptionId, due.Delivery.Attempts + 1);
                return new DeliveryAttempt(true, status, null, clock.GetUtcNow(), null);
            }
            error = $"{status} {response.ReasonPhrase}";
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            error = e is OperationCanceledException ? $"no answer within {o.AttemptTimeout.TotalSeconds:0.###} s" : e.Message;
        }

        var attempts = due.Delivery.Attempts + 1;
        var now = clock.GetUtcNow();
        DateTimeOffset? next = attempts >= o.MaxAttempts ? null : now + Backoff(attempts, o.BaseDelay, o.MaxDelay, Random.Shared.NextDouble());
        if (next is null)
        {
            LogDeadLettered(due.Delivery.Id, due.Delivery.EventId, due.Delivery.SubscriptionId, attempts, error);
        }
        else
        {
            LogRetrying(due.Delivery.Id, due.Delivery.SubscriptionId, attempts, error, next.Value);
        }
        return new DeliveryAttempt(false, status, error, now, next);
    }

    private static string? TraceParentOf(string payload)
    {
        try
        {
            return EventJsonContext.Deserialize(payload).TraceParent;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Exponential backoff: base × 2^(attempt−1), capped, times a jitter factor in [0.8, 1.2).</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(exponential, maxDelay.TotalMilliseconds) * (0.8 + (0.4 * random)));
    }

    [LoggerMessage(LogLevel.Debug, "Published {Count} domain event(s) to {Publisher}")]
    private partial void LogPublished(int count, string publisher);

    [LoggerMessage(LogLevel.Information, "Webhook delivery {DeliveryId} of {EventId} to {SubscriptionId} accepted on attempt {Attempt}")]
    private partial void LogDelivered(string deliveryId, string eventId, string subscriptionId, int attempt);

    [LoggerMessage(LogLevel.Warning, "Webhook delivery {DeliveryId} to {SubscriptionId} failed (attempt {Attempt}: {Error}); next attempt at {NextAttemptAt}")]
    private partial void LogRetrying(string deliveryId, string subscriptionId, int attempt, string? error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(LogLevel.Error, "Webhook delivery {DeliveryId} of {EventId} to {SubscriptionId} dead-lettered after {Attempts} attempts ({Error})")]
    private partial void LogDeadLettered(string deliveryId, string eventId, string subscriptionId, int attempts, string? error);
}
