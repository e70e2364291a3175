using ApartmentManager.Api.Requests;
using ApartmentManager.Application.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ApartmentManager.Functions.Http;

/// <summary>
/// The request routes of the shared API (see <c>ApiEndpoints</c>: same paths under the Functions "api" prefix, same
/// handlers, same answers). Every trigger declares a <c>[DurableClient]</c>: the shared
/// service may start, signal or read the request's workflow, and <c>DurableClientMiddleware</c> binds that client for
/// the invocation.
/// </summary>
/// <remarks>
/// Anonymous at the Functions layer on purpose: no shared function key exists. API Management validates the Entra ID
/// token, the app's built-in authentication (Easy Auth) validates it again and rejects anything unauthenticated, and the
/// handlers authorize the resulting principal (see <c>EasyAuthPrincipalMiddleware</c>).
/// </remarks>
public sealed class RequestFunctions(RequestService service)
{
    [Function("CreateRequest")]
    public Task<IResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/requests")] HttpRequest req,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        RequestHandlers.Create(req.HttpContext, service, ct);

    [Function("ListRequests")]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/requests")] HttpRequest req,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        RequestHandlers.List(req.HttpContext, service, ct);

    [Function("GetRequest")]
    public Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/requests/{id}")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        RequestHandlers.Get(req.HttpContext, id, service, ct);

    [Function("ChangeRequestStatus")]
    public Task<IResult> ChangeStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/requests/{id}")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        RequestHandlers.ChangeStatus(req.HttpContext, id, service, ct);

    // "SelectOption" is the workflow step's activity name already; function names share one namespace.
    [Function("SelectRequestOption")]
    public Task<IResult> SelectOption(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/requests/{id}/select-option")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        RequestHandlers.SelectOption(req.HttpContext, id, service, ct);

    [Function("ResolveRequest")]
    public Task<IResult> Resolve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/requests/{id}/resolve")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        RequestHandlers.Resolve(req.HttpContext, id, service, ct);

    [Function("ListResidentRequests")]
    public Task<IResult> ListForResident(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/residents/{residentId}/requests")] HttpRequest req,
        string residentId,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken ct) =>
        RequestHandlers.ListForResident(req.HttpContext, residentId, service, ct);
}
