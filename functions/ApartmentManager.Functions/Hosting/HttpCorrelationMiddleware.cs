using ApartmentManager.Api.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Functions.Hosting;

/// <summary>
/// The Functions counterpart of the single-node host's <c>CorrelationIdMiddleware</c>: for HTTP invocations, establish
/// the correlation id (echoed on the response, quoted in problem bodies) and open a logging scope carrying it.
/// </summary>
public sealed class HttpCorrelationMiddleware(ILogger<HttpCorrelationMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }
        var id = CorrelationId.Establish(http);
        using (logger.BeginScope("CorrelationId:{CorrelationId}", id))
        {
            await next(context);
        }
    }
}
