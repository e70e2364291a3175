using ApartmentManager.Api.Residents;
using ApartmentManager.Application.Residents;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ApartmentManager.Functions.Http;

/// <summary>The resident directory routes of the shared API (see <c>ApiEndpoints</c>): same paths, same handlers.</summary>
public sealed class ResidentFunctions(ResidentDirectoryService service)
{
    [Function("PutResident")]
    public Task<IResult> Put(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/residents/{id}")] HttpRequest req,
        string id,
        CancellationToken ct) =>
        ResidentHandlers.Put(req.HttpContext, id, service, ct);

    [Function("GetResident")]
    public Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/residents/{id}")] HttpRequest req,
        string id,
        CancellationToken ct) =>
        ResidentHandlers.Get(req.HttpContext, id, service, ct);
}
