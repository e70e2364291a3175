using ApartmentManager.Api.Admin;
using ApartmentManager.Learning;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Functions.Http;

/// <summary>
/// The learning engine in the Functions app: the shared admin routes, and a timer trigger that runs learning on the
/// CRON schedule in the app setting <c>LearningSchedule</c> (six-field NCRONTAB, UTC; the deployment sets nightly at 02:00, "0 0 2 * * *").
/// </summary>
public sealed partial class LearningFunctions(LearningEngine engine, ILogger<LearningFunctions> logger)
{
    [Function("RunLearning")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/learning/run")] HttpRequest req,
        CancellationToken ct) =>
        LearningHandlers.Run(req.HttpContext, engine, ct);

    [Function("ListLearning")]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/learning")] HttpRequest req,
        CancellationToken ct) =>
        LearningHandlers.List(req.HttpContext, engine, ct);

    [Function("ActivateLearning")]
    public Task<IResult> Activate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/learning/{version}/activate")] HttpRequest req,
        string version,
        CancellationToken ct) =>
        LearningHandlers.Activate(req.HttpContext, version, engine, ct);

    [Function("ExportOutcomes")]
    public Task<IResult> Outcomes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/learning/outcomes")] HttpRequest req,
        CancellationToken ct) =>
        LearningHandlers.Outcomes(req.HttpContext, engine, ct);

    /// <summary>The scheduled run (one instance runs it: timer triggers are singletons across the app's instances).</summary>
    [Function("LearnOnSchedule")]
    public async Task Scheduled([TimerTrigger("%LearningSchedule%")] TimerInfo timer, CancellationToken ct)
    {
        var result = await engine.RunAsync(LearningEngine.System, ct);
        LogScheduledRun(result.Message);
    }

    [LoggerMessage(LogLevel.Information, "Scheduled learning run: {Message}")]
    private partial void LogScheduledRun(string message);
}
