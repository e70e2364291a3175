using System.Text.Json;
using ApartmentManager.Api.Http;
using ApartmentManager.Api.Requests;
using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ApartmentManager.Api.Messaging;

public sealed record EnqueuedAnswer(string Queue, string MessageId, bool Duplicate);

public sealed record RedriveBody(string? MessageId);

public sealed record RedriveAnswer(string Queue, int Redriven);

/// <summary>
/// Single-node routes over the embedded queues: channels post intake messages; operators watch depths, read dead
/// letters and re-drive them. (In Azure, channels send to Service Bus and operators use its dead-letter queues.)
/// </summary>
public static class QueueAdminHandlers
{
    public static IEndpointRouteBuilder MapEmbeddedQueueEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(ApiEndpoints.Prefix).WithTags("Queues");
        api.MapPost("/intake", Intake).WithName("Intake").WithSummary("Admin or channel gateway: enqueue a request from another channel (Idempotency-Key = message id)")
            .Accepts<IntakeMessage>("application/json").Produces<EnqueuedAnswer>(StatusCodes.Status202Accepted);
        api.MapGet("/admin/queues", Depths).WithName("QueueDepths").WithSummary("Admin: messages per queue and state").Produces<IReadOnlyList<QueueDepth>>();
        api.MapGet("/admin/queues/{queue}/dead-letters", DeadLetters).WithName("DeadLetters").WithSummary("Admin: dead-lettered messages").Produces<IReadOnlyList<QueuedMessage>>();
        api.MapPost("/admin/queues/{queue}/dead-letters/redrive", Redrive).WithName("Redrive").WithSummary("Admin: put dead letters back (one by messageId, or all)")
            .Accepts<RedriveBody>("application/json").Produces<RedriveAnswer>();
        return app;
    }

    public static Task<IResult> Intake(HttpContext context, IMessageQueue queue, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            RequireAdmin(caller);
            var key = context.Request.Headers[RequestHandlers.IdempotencyKeyHeader].ToString();
            if (key.Length is 0 or > 255 || key.Any(char.IsControl))
            {
                throw new ValidationFailedException(new Dictionary<string, string[]>
                {
                    [RequestHandlers.IdempotencyKeyHeader] = ["The Idempotency-Key header is the message id: 1 to 255 printable characters."],
                });
            }
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.IntakeMessage, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var added = await queue.EnqueueAsync(QueueNames.RequestsIntake, key, JsonSerializer.Serialize(body.Value!, ApiJsonContext.Default.IntakeMessage), ct);
            return TypedResults.Json(new EnqueuedAnswer(QueueNames.RequestsIntake, key, !added), ApiJsonContext.Default.EnqueuedAnswer,
                statusCode: StatusCodes.Status202Accepted);
        });

    public static Task<IResult> Depths(HttpContext context, IMessageQueue queue, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            RequireAdmin(caller);
            var depths = (await queue.DepthsAsync(ct)).ToDictionary(d => d.Queue);
            var all = QueueNames.All.Select(q => depths.GetValueOrDefault(q) ?? new QueueDepth(q, 0, 0, 0, 0)).ToList();
            return TypedResults.Json<IReadOnlyList<QueueDepth>>(all, ApiJsonContext.Default.IReadOnlyListQueueDepth);
        });

    public static Task<IResult> DeadLetters(HttpContext context, string queue, IMessageQueue messages, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            RequireAdmin(caller);
            RequireKnown(queue);
            var query = RequestValidation.ToQuery(context.Request.Query);
            return TypedResults.Json(await messages.DeadLettersAsync(queue, query.Limit, ct), ApiJsonContext.Default.IReadOnlyListQueuedMessage);
        });

    public static Task<IResult> Redrive(HttpContext context, string queue, IMessageQueue messages, AuditTrail audit, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            RequireAdmin(caller);
            RequireKnown(queue);
            var body = await JsonBody.ReadOptionalAsync(context, ApiJsonContext.Default.RedriveBody, new RedriveBody(null), ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var messageId = string.IsNullOrWhiteSpace(body.Value!.MessageId) ? null : body.Value.MessageId;
            var count = await messages.RedriveAsync(queue, messageId, ct);
            if (count > 0)
            {
                await audit.RecordAsync(caller, AuditActions.QueueRedriven, "queue", queue, "dead-lettered", $"{count} message(s) re-driven{(messageId is null ? "" : $" ({messageId})")}", ct);
            }
            return TypedResults.Json(new RedriveAnswer(queue, count), ApiJsonContext.Default.RedriveAnswer);
        });

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Queue operations need the admin role.");
        }
    }

    private static void RequireKnown(string queue)
    {
        if (!QueueNames.All.Contains(queue))
        {
            throw new RequestNotFoundException($"queue/{queue}");
        }
    }
}
