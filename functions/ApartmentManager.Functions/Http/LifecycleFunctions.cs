using ApartmentManager.Api.Requests;
using ApartmentManager.Application.Requests;
using ApartmentManager.Decisions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Functions.Http;

/// <summary>
/// The request's life around the pipeline (see <c>ApiEndpoints</c>): the resident's reply to a clarifying question,
/// reopening, a manager's completion report and the maintenance system's signed webhook. Each raises a workflow
/// event, so each declares a <c>[DurableClient]</c> (bound by <c>DurableClientMiddleware</c>).
/// </summary>
/// <remarks>
/// The webhook carries no bearer token: its HMAC signature is the authentication, so the app's built-in
/// authentication must let <c>/api/v1/hooks/*</c> through (the handler refuses anything unsigned with a 401).
/// </remarks>
public sealed class LifecycleFunctions(
    RequestService service, IOptions<WorkOrderHookOptions> hookOptions, IOptionsMonitor<DecisionOptions> policy, TimeProvider clock, ILoggerFactory loggers)
{
    [Function("ReplyToQuestion")]
    public Task<IResult> Reply(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/requests/{id}/reply")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        LifecycleHandlers.Reply(req.HttpContext, id, service, ct);

    [Function("ReopenRequest")]
    public Task<IResult> Reopen(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/requests/{id}/reopen")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        LifecycleHandlers.Reopen(req.HttpContext, id, service, ct);

    [Function("CompleteRequestWork")]
    public Task<IResult> Complete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/requests/{id}/complete")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        LifecycleHandlers.Complete(req.HttpContext, id, service, policy, ct);

    [Function("WorkOrderEvent")]
    public Task<IResult> WorkOrderEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/hooks/work-orders")] HttpRequest req,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        LifecycleHandlers.WorkOrderEvent(req.HttpContext, service, hookOptions, clock, loggers, ct);
}
