using ApartmentManager.Api.Http;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using Microsoft.AspNetCore.Http;

namespace ApartmentManager.Api.Requests;

/// <summary>Manager routes over the workflow: see where it stands, approve, reject, escalate.</summary>
public static class ManagerHandlers
{
    public static Task<IResult> Workflow(HttpContext context, string id, RequestService service, IWorkflowStatusReader reader, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var request = (await service.GetAsync(caller, id, ct)).Value;
            var status = await reader.GetAsync(id, ct);
            var view = new WorkflowView(id, request.Status, status?.RuntimeStatus ?? "not_started", status?.CurrentStep,
                status?.AwaitedEvent, status?.DueAt, status?.Detail, request.History);
            return TypedResults.Json(view, ApiJsonContext.Default.WorkflowView);
        });

    public static Task<IResult> Approve(HttpContext context, string id, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var body = await JsonBody.ReadOptionalAsync(context, ApiJsonContext.Default.ApproveBody, new ApproveBody(null, null), ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var optionId = Trimmed(body.Value!.OptionId);
            return RequestHandlers.Resource(context, await service.ApproveAsync(caller, id, optionId, Trimmed(body.Value.Note), ct));
        });

    public static Task<IResult> Reject(HttpContext context, string id, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var reason = await ReadReasonAsync(context, caller, ct);
            return reason.Problem ?? RequestHandlers.Resource(context, await service.RejectAsync(caller, id, reason.Value!, ct));
        });

    public static Task<IResult> Escalate(HttpContext context, string id, RequestService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            var reason = await ReadReasonAsync(context, caller, ct);
            return reason.Problem ?? RequestHandlers.Resource(context, await service.EscalateAsync(caller, id, reason.Value!, ct));
        });

    private static async Task<(string? Value, IResult? Problem)> ReadReasonAsync(HttpContext context, Caller caller, CancellationToken ct)
    {
        // Refuse before reading the body; the service checks the role again as the authority.
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("This operation needs the admin role.");
        }
        var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.ReasonBody, ct);
        if (body.Problem is not null)
        {
            return (null, body.Problem);
        }
        var reason = Trimmed(body.Value!.Reason);
        if (reason is null || reason.Length > 2000)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["reason"] = ["A reason of 1 to 2000 characters is required."] });
        }
        return (reason, null);
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
