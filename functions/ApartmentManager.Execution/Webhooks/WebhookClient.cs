using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ApartmentManager.Execution.Gateways;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ApartmentManager.Execution.Webhooks;

/// <summary>
/// Posts one signed JSON event to a receiver through a named HttpClient whose handler chain retries with
/// exponential backoff and jitter, breaks the circuit on sustained failure and times out each attempt.
/// A 2xx answer may carry <c>{"reference": "..."}</c>; without one the idempotency-derived reference is used.
/// </summary>
public sealed class WebhookClient(IHttpClientFactory httpClientFactory, IOptionsMonitor<ExecutionOptions> options, TimeProvider time, ILogger<WebhookClient> logger)
{
    public async Task<GatewayReceipt> PostAsync<T>(string clientName, Uri? url, string eventType, string idempotencyKey, T data, string fallbackReference, CancellationToken cancellationToken)
    {
        if (url is null)
        {
            throw new GatewayException($"No webhook URL is configured for '{clientName}' (Execution:Webhook).", 0);
        }
        var webhook = options.CurrentValue.Webhook;
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new WebhookEnvelope<T>(eventType, idempotencyKey, time.GetUtcNow(), data), ExecutionJson.Options);
        long timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        string signature = WebhookSignature.Compute(webhook.SigningSecret, timestamp, body);

        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, signature);
        request.Headers.Add(WebhookSignature.IdempotencyKeyHeader, idempotencyKey);
        var attempts = new StrongBox<int>(0);
        request.Options.Set(AttemptCountingHandler.Counter, attempts);

        var client = httpClientFactory.CreateClient(clientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new GatewayException(
                    $"{clientName} answered {(int)response.StatusCode} {response.ReasonPhrase} after {attempts.Value} attempt(s).", attempts.Value);
            }
            string reference = fallbackReference;
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                reference = ReadReference(text) ?? fallbackReference;
            }
            logger.LogInformation("Webhook {Client} {EventType} accepted as {Reference} after {Attempts} attempt(s)", clientName, eventType, reference, attempts.Value);
            return new GatewayReceipt(reference, Math.Max(1, attempts.Value));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            string what = ex switch
            {
                BrokenCircuitException => "the circuit breaker is open",
                TimeoutRejectedException or OperationCanceledException => "it timed out",
                _ => ex.Message,
            };
            throw new GatewayException($"{clientName} failed after {attempts.Value} attempt(s): {what}.", attempts.Value, ex);
        }
    }

    private static string? ReadReference(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("reference", out var reference)
                && reference.ValueKind == JsonValueKind.String
                ? reference.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The body every webhook carries.</summary>
public sealed record WebhookEnvelope<T>(string Type, string IdempotencyKey, DateTimeOffset SentAt, T Data);
