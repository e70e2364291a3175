using ApartmentManager.Api.Http;
using ApartmentManager.Application.Requests;
using ApartmentManager.Decisions;
using ApartmentManager.Domain;
using ApartmentManager.Execution.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Text.Json;

namespace ApartmentManager.Api.Requests;

/// <summary>Routes of the request's life around the pipeline: the reply to a question, completion, confirmation's counterpart (reopen), the maintenance webhook.</summary>
public static class LifecycleHandlers
{
    public static Task<IResult> Reply(HttpContext context, string id, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.ReplyBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var message = Required("message", body.Value!.Message, ResidentRequest.MaxMessageLength);
            return RequestHandlers.Resource(context, await service.ReplyAsync(caller, id, message, ct));
        });

    public static Task<IResult> Reopen(HttpContext context, string id, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.ReasonBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var reason = Required("reason", body.Value!.Reason, 2000);
            return RequestHandlers.Resource(context, await service.ReopenAsync(caller, id, reason, ct));
        });

    public static Task<IResult> Complete(HttpContext context, string id, RequestService service, IOptionsMonitor<DecisionOptions> policy, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            if (!caller.IsAdmin)
            {
                throw new ForbiddenException("Reporting work complete needs the admin role.");
            }
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.CompleteBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var outcome = Required("outcome", body.Value!.Outcome, 2000);
            var cost = Cost(body.Value.ActualCost);
            var note = string.IsNullOrWhiteSpace(body.Value.Note) ? null : body.Value.Note.Trim();
            var finding = Finding(body.Value.Finding, (decimal)policy.CurrentValue.Credits.MaximumCredit);
            return RequestHandlers.Resource(context, await service.CompleteAsync(caller, id, outcome, cost, note, ct, finding));
        });

    /// <summary>
    /// The maintenance system's signed webhook. No bearer token: the HMAC signature over timestamp and body is the
    /// authentication, the timestamp tolerance bounds replays in time and the event id makes each report count once.
    /// </summary>
    public static async Task<IResult> WorkOrderEvent(HttpContext context, RequestService service, IOptions<WorkOrderHookOptions> options,
        TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.SigningSecret))
        {
            return Problems.Create(context, 503, "The work-order webhook is not configured (Hooks:WorkOrders:SigningSecret).", "not-configured");
        }
        if (!(context.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Create(context, 415, "Send the body as JSON with Content-Type: application/json.", "unsupported-media-type");
        }
        byte[] raw;
        try
        {
            raw = await ReadLimitedAsync(context.Request, JsonBody.MaxBytes, ct);
        }
        catch (InvalidDataException)
        {
            return Problems.Create(context, 413, $"The body is larger than {JsonBody.MaxBytes} bytes.", "payload-too-large");
        }
        if (!WebhookSignature.Verify(settings.SigningSecret, context.Request.Headers[WebhookSignature.TimestampHeader],
                context.Request.Headers[WebhookSignature.SignatureHeader], raw, clock.GetUtcNow(), TimeSpan.FromSeconds(settings.ToleranceSeconds)))
        {
            return Problems.Create(context, 401,
                $"The signature is missing, wrong or too old: send {WebhookSignature.SignatureHeader}: v1=hex(HMAC-SHA256(secret, timestamp + \".\" + body)) " +
                $"and {WebhookSignature.TimestampHeader} (Unix seconds, within {settings.ToleranceSeconds:0} s of now).", "unauthorized");
        }
        try
        {
            WorkOrderEventBody? body;
            try
            {
                body = JsonSerializer.Deserialize(raw, ApiJsonContext.Default.WorkOrderEventBody);
            }
            catch (JsonException e)
            {
                return Problems.Create(context, 400, "The body is not valid JSON of the expected shape: " + e.Message.Split('.')[0], "malformed-json");
            }
            var report = ToReport(body);
            var result = await service.ReportWorkAsync(report, ct);
            var answer = new WorkOrderEventAnswer(report.RequestId, report.EventId, result.Request.Value.Status,
                result.Request.Value.CurrentWork?.State, result.Duplicate);
            return TypedResults.Json(answer, ApiJsonContext.Default.WorkOrderEventAnswer);
        }
        catch (Exception e) when (Problems.FromException(context, e) is { } problem)
        {
            loggers.CreateLogger("ApartmentManager.Api").LogInformation("Work-order event refused: {Reason}", e.Message);
            return problem;
        }
    }

    private static WorkReport ToReport(WorkOrderEventBody? body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body is null)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["body"] = ["Send a JSON object."] });
        }
        if (string.IsNullOrWhiteSpace(body.EventId) || body.EventId.Length > 200)
        {
            errors["eventId"] = ["An event id of 1 to 200 characters is required."];
        }
        if (string.IsNullOrWhiteSpace(body.RequestId) || body.RequestId.Length > 200)
        {
            errors["requestId"] = ["The request id the work order was opened for is required."];
        }
        if (!Names.TryParse<WorkState>(body.State, out var state))
        {
            errors["state"] = [$"One of {string.Join(", ", Names.All<WorkState>())}."];
        }
        if (body.ActualCost is < 0 or > 1_000_000m)
        {
            errors["actualCost"] = ["A cost from 0 to 1000000."];
        }
        if (body.Note is { Length: > 2000 })
        {
            errors["note"] = ["At most 2000 characters."];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        return new WorkReport(body.EventId!.Trim(), body.RequestId!.Trim(), state, body.OccurredAt, body.ActualCost,
            string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim());
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            throw new InvalidDataException();
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                throw new InvalidDataException();
            }
        }
        return buffer.ToArray();
    }

    private static string Required(string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > max)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { [field] = [$"Required, 1 to {max} characters."] });
        }
        return value.Trim();
    }

    private static FindingReport? Finding(FindingBody? body, decimal maximum)
    {
        if (body is null)
        {
            return null;
        }
        if (body.ChargeWrong is not { } wrong)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["finding.chargeWrong"] = ["Say whether the charge was wrong: true or false."] });
        }
        var errors = LedgerFinding.Check(wrong, body.Amount, maximum).ToDictionary();
        if (body.Note is { Length: > 2000 })
        {
            errors["finding.note"] = ["At most 2000 characters."];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        return new FindingReport(wrong, wrong ? body.Amount : 0m, string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim());
    }

    private static decimal? Cost(decimal? cost) => cost is < 0 or > 1_000_000m
        ? throw new ValidationFailedException(new Dictionary<string, string[]> { ["actualCost"] = ["A cost from 0 to 1000000."] })
        : cost;
}
