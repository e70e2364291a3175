using ApartmentManager.Functions;
using ApartmentManager.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The Azure Functions host (isolated worker, ASP.NET Core integration). Composition only: every trigger delegates
// to the shared libraries, exactly as the single-node host does.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// HTTP invocations: establish the correlation id and the caller before any trigger runs.
builder.UseMiddleware<HttpCorrelationMiddleware>();
builder.UseMiddleware<EasyAuthPrincipalMiddleware>();
// Per-caller limits API Management does not enforce (writes and agent calls per subject and per client address).
builder.UseMiddleware<CallerLimitMiddleware>();
// Functions that start, signal or read workflows declare [DurableClient]: bind it once for the invocation.
builder.UseMiddleware<DurableClientMiddleware>();

builder.Services.AddApartmentManagerFunctions(builder.Configuration);

builder.Build().Run();
