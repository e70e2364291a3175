using ApartmentManager.Api.Agents;
using ApartmentManager.Api.Http;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using ApartmentManager.Decisions;
using ApartmentManager.Execution;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Knowledge.Retrieval;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Functions.Http;

/// <summary>
/// The agent routes of the shared API (each pipeline agent callable on its own). Services come from the invocation's
/// scope per function, so calling one agent never builds the others (the models load on first use), and only once the
/// caller is known to hold a role (<see cref="ApiHandler.Refusal"/>): an unauthorised call builds nothing.
/// Function names carry an "Agent" prefix: the plain step names belong to the workflow's activities.
/// </summary>
public static class AgentFunctions
{
    [Function("AgentClassify")]
    public static Task<IResult> Classify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/classify")] HttpRequest req,
        FunctionContext context, CancellationToken ct) =>
        Authorised(req, () => AgentHandlers.Classify(req.HttpContext, Get<IRequestClassifier>(context), ct));

    [Function("AgentPredictRisk")]
    public static Task<IResult> PredictRisk(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/predict-risk")] HttpRequest req,
        FunctionContext context, CancellationToken ct) =>
        Authorised(req, () => AgentHandlers.PredictRisk(req.HttpContext, Get<IRequestClassifier>(context), Get<IRiskPredictor>(context), Get<TimeProvider>(context), ct));

    [Function("AgentRetrievePolicies")]
    public static Task<IResult> Retrieve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/rag/retrieve")] HttpRequest req,
        FunctionContext context, CancellationToken ct) =>
        Authorised(req, () => AgentHandlers.Retrieve(req.HttpContext, Get<IPolicyRetriever>(context), Get<IOptions<RetrieverOptions>>(context), ct));

    [Function("AgentRetrievalConfig")]
    public static Task<IResult> RagConfig(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/rag/config")] HttpRequest req,
        FunctionContext context) =>
        Authorised(req, () => AgentHandlers.RagConfig(req.HttpContext, Get<IKnowledgeCatalog>(context)));

    [Function("AgentSimulate")]
    public static Task<IResult> Simulate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/simulate")] HttpRequest req,
        FunctionContext context, CancellationToken ct) =>
        Authorised(req, () => AgentHandlers.Simulate(req.HttpContext, Get<RequestService>(context), Get<IOptionSimulator>(context), ct));

    [Function("AgentDecide")]
    public static Task<IResult> Decide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/decide")] HttpRequest req,
        FunctionContext context, CancellationToken ct) =>
        Authorised(req, () => AgentHandlers.Decide(req.HttpContext, Get<RequestService>(context), Get<IDecisionPolicy>(context), ct));

    [Function("AgentExecute")]
    public static Task<IResult> Execute(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/execute")] HttpRequest req,
        FunctionContext context, CancellationToken ct) =>
        Authorised(req, () => AgentHandlers.Execute(req.HttpContext, Get<RequestService>(context), Get<IActionExecutor>(context), Get<IOptions<DecisionOptions>>(context), Get<IOptionGate>(context), ct));

    [Function("AgentNotify")]
    public static Task<IResult> Notify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/notify")] HttpRequest req,
        FunctionContext context, CancellationToken ct) =>
        Authorised(req, () => AgentHandlers.Notify(req.HttpContext, Get<RequestService>(context), Get<IActionExecutor>(context), ct));

    [Function("AgentGetExecution")]
    public static Task<IResult> GetExecution(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/executions/{id}")] HttpRequest req,
        string id,
        FunctionContext context, CancellationToken ct) =>
        Authorised(req, () => AgentHandlers.GetExecution(req.HttpContext, id, Get<RequestService>(context), Get<IActionExecutor>(context), ct));

    /// <summary>Checks the caller before <paramref name="handler"/> resolves anything: an unauthorised call builds no service.</summary>
    private static Task<IResult> Authorised(HttpRequest req, Func<Task<IResult>> handler) =>
        ApiHandler.Refusal(req.HttpContext) is { } refused ? Task.FromResult(refused) : handler();

    private static T Get<T>(FunctionContext context) where T : notnull => context.InstanceServices.GetRequiredService<T>();
}
