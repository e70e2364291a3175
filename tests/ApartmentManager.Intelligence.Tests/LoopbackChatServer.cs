using System.Collections.Concurrent;
using System.Text.Json;
using ApartmentManager.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ApartmentManager.Intelligence.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (port 0, the tests' shared <see cref="LoopbackServer"/>) that speaks the Azure OpenAI chat-completions route. Each request
/// takes the next scripted behaviour (the last one repeats) and is recorded with its arrival time.
/// </summary>
public sealed class LoopbackChatServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private Func<HttpContext, Task> _last = ctx => Completion(ctx, "{}");
    private WebApplication _app = null!;

    /// <summary>Where a behaviour finds the request body in <see cref="HttpContext.Items"/>.</summary>
    public const string BodyKey = "loopback-chat-body";

    public ConcurrentQueue<(DateTimeOffset At, string Body)> Requests { get; } = new();
    public Uri Endpoint { get; private set; } = null!;

    private LoopbackChatServer()
    {
    }

    public static async Task<LoopbackChatServer> StartAsync()
    {
        var server = new LoopbackChatServer();
        (server._app, server.Endpoint) = await LoopbackServer.StartAsync(app =>
            app.MapPost("/openai/deployments/{deployment}/chat/completions", server.HandleAsync));
        return server;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        var body = await reader.ReadToEndAsync();
        ctx.Items[BodyKey] = body; // behaviours may answer by what was asked
        Requests.Enqueue((DateTimeOffset.UtcNow, body));
        if (_script.TryDequeue(out var next))
        {
            _last = next;
        }
        await _last(ctx);
    }

    public LoopbackChatServer Then(Func<HttpContext, Task> behaviour)
    {
        _script.Enqueue(behaviour);
        return this;
    }

    public static Task Completion(HttpContext ctx, string content)
    {
        var body = new
        {
            id = "chatcmpl-test",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = "gpt-test",
            choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
        };
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    public static Func<HttpContext, Task> Answer(string category, string urgency, double confidence = 0.93) =>
        ctx => Completion(ctx, JsonSerializer.Serialize(new { category, urgency, confidence, secondary_categories = Array.Empty<string>() }));

    public static Func<HttpContext, Task> Status(int status, string? retryAfter = null) => ctx =>
    {
        ctx.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            ctx.Response.Headers["Retry-After"] = retryAfter;
        }
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync("{\"error\":{\"code\":\"" + status + "\",\"message\":\"scripted\"}}");
    };

    public static Func<HttpContext, Task> Delay(TimeSpan delay) => async ctx =>
    {
        try
        {
            await Task.Delay(delay, ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await Completion(ctx, "{\"category\":\"general\",\"urgency\":\"low\",\"confidence\":1,\"secondary_categories\":[]}");
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
