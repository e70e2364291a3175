using ApartmentManager.Api.Admin;
using ApartmentManager.Application.Usage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ApartmentManager.Functions.Http;

/// <summary>The AI usage report of the shared API (admins only), as in the single-node host.</summary>
public sealed class UsageFunctions(UsageReportService usage)
{
    [Function("GetUsage")]
    public Task<IResult> Usage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/usage")] HttpRequest req,
        CancellationToken ct) =>
        UsageHandlers.Usage(req.HttpContext, usage, ct);
}
