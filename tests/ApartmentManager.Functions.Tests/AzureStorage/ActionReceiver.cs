using System.Collections.Concurrent;
using System.Text.Json;
using ApartmentManager.Execution.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ApartmentManager.Tests.Shared;

namespace ApartmentManager.Functions.Tests.AzureStorage;

/// <summary>One webhook as it arrived: the system it went to, its idempotency key and its action data.</summary>
internal sealed record Delivery(string Path, string IdempotencyKey, string Data);

/// <summary>
/// The external systems (maintenance, ledger, notifications) on 127.0.0.1 and a port the OS assigns: a real Kestrel
/// server that checks each webhook's signature (401 on a bad one) and records every delivery. Like the real systems
/// it carries an action out once per idempotency key; a repeated key is answered with the first reference and
/// counted as a redelivery. It outlives the worker processes the test kills.
/// </summary>
internal sealed class ActionReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string secret;
    private readonly TimeSpan answerAfter;

    private ActionReceiver(WebApplication app, string secret, TimeSpan answerAfter)
    {
        this.app = app;
        this.secret = secret;
        this.answerAfter = answerAfter;
    }

    public ConcurrentQueue<Delivery> Deliveries { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    private int unsigned;

    /// <summary>Webhooks whose signature did not verify (should stay 0).</summary>
    public int Unsigned => Volatile.Read(ref unsigned);

    /// <param name="answerAfter">How long an action takes on the receiver's side: the longer, the likelier a kill lands
    /// between the send and the worker recording the outcome (the case that makes the worker send again).</param>
    public static async Task<ActionReceiver> StartAsync(string secret, TimeSpan answerAfter)
    {
        ActionReceiver? receiver = null;
        var (_, address) = await LoopbackServer.StartAsync(web =>
        {
            receiver = new ActionReceiver(web, secret, answerAfter);
            web.MapPost("/{**path}", (Func<HttpContext, Task<IResult>>)receiver.HandleAsync);
        });
        receiver!.BaseAddress = address;
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (!WebhookSignature.Verify(secret, context.Request.Headers[WebhookSignature.TimestampHeader],
                context.Request.Headers[WebhookSignature.SignatureHeader], body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)))
        {
            Interlocked.Increment(ref unsigned);
            return Results.Unauthorized();
        }
        var key = context.Request.Headers[WebhookSignature.IdempotencyKeyHeader].ToString();
        using var envelope = JsonDocument.Parse(body);
        Deliveries.Enqueue(new Delivery(context.Request.Path.Value ?? "/", key, envelope.RootElement.GetProperty("data").GetRawText()));
        await Task.Delay(answerAfter);
        return Results.Json(new { reference = "EXT-" + key });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
