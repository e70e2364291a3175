using ApartmentManager.Api.Requests;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ApartmentManager.Functions.Http;

/// <summary>
/// The manager routes of the shared API: where a request's workflow stands (read from the Durable instance), and the
/// approve / reject / escalate decisions, which the shared service turns into the workflow's external events.
/// </summary>
public sealed class ManagerFunctions(RequestService service, IWorkflowStatusReader reader)
{
    [Function("GetWorkflow")]
    public Task<IResult> Workflow(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/requests/{id}/workflow")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        ManagerHandlers.Workflow(req.HttpContext, id, service, reader, ct);

    [Function("ApproveRequest")]
    public Task<IResult> Approve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/requests/{id}/approve")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        ManagerHandlers.Approve(req.HttpContext, id, service, ct);

    [Function("RejectRequest")]
    public Task<IResult> Reject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/requests/{id}/reject")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        ManagerHandlers.Reject(req.HttpContext, id, service, ct);

    [Function("EscalateRequest")]
    public Task<IResult> Escalate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/requests/{id}/escalate")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        ManagerHandlers.Escalate(req.HttpContext, id, service, ct);
}
