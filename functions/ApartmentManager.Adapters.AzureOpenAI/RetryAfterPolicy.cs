using System.ClientModel.Primitives;
using System.Globalization;

namespace ApartmentManager.Adapters.AzureOpenAI;

/// <summary>
/// Retries 408, 429 and 5xx responses and transport failures, waiting what the server asked for
/// (retry-after-ms, x-ms-retry-after-ms, or Retry-After in seconds or as an HTTP date), capped at
/// <see cref="AzureOpenAIOptions.MaxRetryDelaySeconds"/>; exponential back-off with jitter otherwise.
/// </summary>
public sealed class RetryAfterPolicy(AzureOpenAIOptions options, TimeProvider? timeProvider = null) : ClientRetryPolicy(options.MaxRetries)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    // Retries per message, kept beside the message because the pipeline's own counter is not public.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<PipelineMessage, System.Runtime.CompilerServices.StrongBox<int>> _retries = new();

    protected override bool ShouldRetry(PipelineMessage message, Exception? exception)
    {
        var count = _retries.GetValue(message, _ => new System.Runtime.CompilerServices.StrongBox<int>(0));
        if (count.Value >= options.MaxRetries || !IsRetriable(message, exception))
        {
            return false;
        }
        count.Value++;
        return true;
    }

    protected override ValueTask<bool> ShouldRetryAsync(PipelineMessage message, Exception? exception) =>
        ValueTask.FromResult(ShouldRetry(message, exception));

    internal static bool IsRetriable(PipelineMessage message, Exception? exception)
    {
        if (exception is not null)
        {
            // A caller's cancellation is final; a transport error or a per-try timeout is worth another go.
            return !message.CancellationToken.IsCancellationRequested;
        }
        var status = message.Response?.Status ?? 0;
        return status is 408 or 429 or 500 or 502 or 503 or 504;
    }

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        var max = TimeSpan.FromSeconds(options.MaxRetryDelaySeconds);
        if (message.Response is { } response && ServerDelay(response.Headers, _time.GetUtcNow()) is { } asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > max ? max : asked;
        }
        var backoff = options.BaseRetryDelaySeconds * Math.Pow(2, Math.Max(0, tryCount - 1)) * (0.8 + 0.4 * Random.Shared.NextDouble());
        return TimeSpan.FromSeconds(Math.Min(backoff, options.MaxRetryDelaySeconds));
    }

    internal static TimeSpan? ServerDelay(PipelineResponseHeaders headers, DateTimeOffset now)
    {
        foreach (var name in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
        {
            if (headers.TryGetValue(name, out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                return TimeSpan.FromMilliseconds(v);
            }
        }
        if (headers.TryGetValue("Retry-After", out var ra) && ra is not null)
        {
            if (double.TryParse(ra, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }
            if (DateTimeOffset.TryParse(ra, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at - now;
            }
        }
        return null;
    }
}
