using System.Collections.Concurrent;
using ApartmentManager.Execution.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ApartmentManager.Tests.Shared;

namespace ApartmentManager.Execution.Tests;

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedHook(string Path, string IdempotencyKey, string Body, bool SignatureValid, int Attempt);

/// <summary>What the receiver does with the n-th request (1-based) on a path: answer a status, after a delay.</summary>
public delegate (int Status, TimeSpan Delay) HookBehaviour(int attempt);

/// <summary>
/// A real Kestrel server on 127.0.0.1 and a free port, standing in for the maintenance system, the SMS/email
/// provider and the ledger. It verifies signatures like a real receiver (401 on a bad one) and can be scripted to
/// fail or stall per path.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    public const string Secret = "loopback-test-secret-0123456789";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, HookBehaviour> _behaviours = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public ConcurrentQueue<ReceivedHook> Received { get; } = new();

    private LoopbackReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri Url(string path) => new(BaseAddress, path);

    public static async Task<LoopbackReceiver> StartAsync()
    {
        LoopbackReceiver? receiver = null;
        var (_, address) = await LoopbackServer.StartAsync(web =>
        {
            receiver = new LoopbackReceiver(web);
            web.MapPost("/{**path}", (Func<HttpContext, Task<IResult>>)receiver.HandleAsync);
        });
        receiver!.BaseAddress = address;
        return receiver;
    }

    public void On(string path, HookBehaviour behaviour) => _behaviours["/" + path.TrimStart('/')] = behaviour;

    public int Count(string path) => Received.Count(r => r.Path == "/" + path.TrimStart('/'));

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        byte[] body = buffer.ToArray();
        string path = context.Request.Path.Value ?? "/";
        int attempt = _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
        bool valid = WebhookSignature.Verify(Secret,
            context.Request.Headers[WebhookSignature.TimestampHeader], context.Request.Headers[WebhookSignature.SignatureHeader],
            body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        string key = context.Request.Headers[WebhookSignature.IdempotencyKeyHeader].ToString();
        Received.Enqueue(new ReceivedHook(path, key, System.Text.Encoding.UTF8.GetString(body), valid, attempt));
        if (!valid)
        {
            return Results.Unauthorized();
        }
        var (status, delay) = _behaviours.TryGetValue(path, out var behaviour) ? behaviour(attempt) : (200, TimeSpan.Zero);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.StatusCode(499);
            }
        }
        return status == 200
            ? Results.Json(new { reference = "EXT-" + path.Trim('/').Replace('/', '-') + "-" + Math.Abs(key.GetHashCode() % 100000) })
            : Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
