using ApartmentManager.Api.Admin;
using ApartmentManager.Api.Agents;
using ApartmentManager.Api.Health;
using ApartmentManager.Domain;
using ApartmentManager.Knowledge.Retrieval;
using ApartmentManager.Api.Http;
using ApartmentManager.Api.Platform;
using ApartmentManager.Api.Requests;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Webhooks;
using ApartmentManager.Application.Usage;
using ApartmentManager.Api.Residents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ApartmentManager.Api;

/// <summary>Maps the whole v1 API onto an ASP.NET Core host. The Functions app maps the same handlers one trigger each.</summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    public static IEndpointRouteBuilder MapApartmentManagerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix);

        var requests = api.MapGroup("/requests").WithTags("Requests");
        requests.MapPost("/", RequestHandlers.Create)
            .WithName("CreateRequest").WithSummary("A resident files a request (honours Idempotency-Key)")
            .Accepts<CreateRequestBody>("application/json")
            .Produces<RequestResource>(StatusCodes.Status201Created)
            .WithProblems(400, 401, 403, 409, 413, 415);
        requests.MapGet("/", RequestHandlers.List)
            .WithName("ListRequests").WithSummary("Admin: list requests with filters and continuation-token paging")
            .Produces<RequestList>().WithProblems(400, 401, 403);
        requests.MapGet("/{id}", RequestHandlers.Get)
            .WithName("GetRequest").WithSummary("A request, to its resident or an admin")
            .Produces<RequestResource>().WithProblems(401, 404);
        requests.MapPut("/{id}", RequestHandlers.ChangeStatus)
            .WithName("ChangeRequestStatus").WithSummary("Admin: change status (If-Match required)")
            .Accepts<StatusChangeBody>("application/json")
            .Produces<RequestResource>().WithProblems(400, 401, 403, 404, 409, 412, 413, 415, 428);
        requests.MapPost("/{id}/select-option", RequestHandlers.SelectOption)
            .WithName("SelectOption").WithSummary("The resident picks one of the decided options")
            .Accepts<SelectOptionBody>("application/json")
            .Produces<RequestResource>().WithProblems(400, 401, 404, 409, 413, 415);
        requests.MapPost("/{id}/resolve", RequestHandlers.Resolve)
            .WithName("ResolveRequest").WithSummary("Admin closes, or the resident confirms with a 1–5 rating")
            .Accepts<ResolveBody>("application/json")
            .Produces<RequestResource>().WithProblems(400, 401, 404, 409, 413, 415);

        requests.MapPost("/{id}/reply", LifecycleHandlers.Reply)
            .WithName("ReplyToQuestion").WithSummary("The resident answers the clarifying question; the request is triaged again")
            .Accepts<ReplyBody>("application/json")
            .Produces<RequestResource>().WithProblems(400, 401, 403, 404, 409, 413, 415);
        requests.MapPost("/{id}/reopen", LifecycleHandlers.Reopen)
            .WithName("ReopenRequest").WithSummary("The resident reports the work did not fix it; dispatched again with raised urgency")
            .Accepts<ReasonBody>("application/json")
            .Produces<RequestResource>().WithProblems(400, 401, 403, 404, 409, 413, 415);
        requests.MapPost("/{id}/complete", LifecycleHandlers.Complete)
            .WithName("CompleteRequestWork").WithSummary("Admin: report the open work (or office task) done; the resident confirms next")
            .Accepts<CompleteBody>("application/json")
            .Produces<RequestResource>().WithProblems(400, 401, 403, 404, 409, 413, 415);

        api.MapPost("/hooks/work-orders", LifecycleHandlers.WorkOrderEvent)
            .WithTags("Hooks").WithName("WorkOrderEvent")
            .WithSummary("The maintenance system reports a work order's state (HMAC-signed; idempotent by event id)")
            .Accepts<WorkOrderEventBody>("application/json")
            .Produces<WorkOrderEventAnswer>().WithProblems(400, 401, 404, 409, 413, 415, 503);

        requests.MapGet("/{id}/workflow", ManagerHandlers.Workflow)
            .WithName("GetWorkflow").WithSummary("Where the pipeline stands: step, awaited event and its due time, history")
            .Produces<WorkflowView>().WithProblems(401, 404);
        requests.MapPost("/{id}/approve", ManagerHandlers.Approve)
            .WithName("ApproveRequest").WithSummary("Admin: approve the option awaiting approval")
            .Accepts<ApproveBody>("application/json")
            .Produces<RequestResource>().WithProblems(400, 401, 403, 404, 409, 413, 415);
        requests.MapPost("/{id}/reject", ManagerHandlers.Reject)
            .WithName("RejectRequest").WithSummary("Admin: reject; the workflow escalates with the reason")
            .Accepts<ReasonBody>("application/json")
            .Produces<RequestResource>().WithProblems(400, 401, 403, 404, 409, 413, 415);
        requests.MapPost("/{id}/escalate", ManagerHandlers.Escalate)
            .WithName("EscalateRequest").WithSummary("Admin: take the request out of the automatic flow")
            .Accepts<ReasonBody>("application/json")
            .Produces<RequestResource>().WithProblems(400, 401, 403, 404, 409, 413, 415);

        api.MapGet("/residents/{residentId}/requests", RequestHandlers.ListForResident)
            .WithTags("Requests").WithName("ListResidentRequests").WithSummary("A resident's own requests")
            .Produces<RequestList>().WithProblems(400, 401, 404);

        var directory = api.MapGroup("/residents").WithTags("Residents");
        directory.MapPut("/{id}", ResidentHandlers.Put)
            .WithName("PutResident").WithSummary("Admin: set a resident's directory entry (the source of their building and unit)")
            .Accepts<ResidentBody>("application/json")
            .Produces<ApartmentManager.Application.Ports.ResidentEntry>().WithProblems(400, 401, 403, 413, 415);
        directory.MapGet("/{id}", ResidentHandlers.Get)
            .WithName("GetResident").WithSummary("A resident's directory entry, to an admin or the resident")
            .Produces<ApartmentManager.Application.Ports.ResidentEntry>().WithProblems(400, 401, 404);

        // Every agent route needs an app role (403 without one, before the agent runs).
        var agents = api.MapGroup("").WithTags("Agents").WithCallerLimit(CallerLimit.Agents);
        agents.MapPost("/classify", AgentHandlers.Classify)
            .WithName("Classify").WithSummary("Category and urgency of one text or a batch of up to 64")
            .Accepts<ClassifyBody>("application/json").Produces<Classification>().WithProblems(400, 401, 403, 413, 415);
        agents.MapPost("/predict-risk", AgentHandlers.PredictRisk)
            .WithName("PredictRisk").WithSummary("Escalation risk of one item or a batch of up to 64")
            .Accepts<RiskBody>("application/json").Produces<RiskAssessment>().WithProblems(400, 401, 403, 413, 415);
        agents.MapPost("/rag/retrieve", AgentHandlers.Retrieve)
            .WithName("RetrievePolicies").WithSummary("Hybrid (BM25 + dense) retrieval over the policy knowledge base")
            .Accepts<RetrieveBody>("application/json").Produces<Batch<RetrievedPassage>>().WithProblems(400, 401, 403, 413, 415);
        agents.MapGet("/rag/config", AgentHandlers.RagConfig)
            .WithName("RetrievalConfig").WithSummary("Knowledge base and retriever settings").Produces<KnowledgeConfig>().WithProblems(401, 403);
        agents.MapPost("/simulate", AgentHandlers.Simulate)
            .WithName("Simulate").WithSummary("Simulate the options for a classified, risk-scored request (not saved)")
            .Accepts<SimulateBody>("application/json").Produces<SimulationAnswer>().WithProblems(400, 401, 403, 404, 409, 413, 415);
        agents.MapPost("/decide", AgentHandlers.Decide)
            .WithName("Decide").WithSummary("Score a request's options under the decision policy (not saved)")
            .Accepts<DecideBody>("application/json").Produces<Decision>().WithProblems(400, 401, 403, 404, 409, 413, 415);
        agents.MapPost("/execute", AgentHandlers.Execute)
            .WithName("Execute").WithSummary("Admin: carry out an option (exactly once per request and option)")
            .Accepts<ExecuteBody>("application/json").Produces<ExecutionAnswer>().WithProblems(400, 401, 403, 404, 409, 413, 415);
        agents.MapPost("/notify", AgentHandlers.Notify)
            .WithName("Notify").WithSummary("Admin: notify a request's resident (exactly once per key)")
            .Accepts<NotifyBody>("application/json").Produces<ExecutionRecord>().WithProblems(400, 401, 403, 404, 413, 415);
        agents.MapGet("/executions/{id}", AgentHandlers.GetExecution)
            .WithName("GetExecution").WithSummary("One executed action").Produces<ExecutionRecord>().WithProblems(401, 403, 404);

        var webhooks = api.MapGroup("/admin/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/", PlatformHandlers.CreateWebhook)
            .WithName("CreateWebhook").WithSummary("Admin: subscribe a URL to domain events; the signing secret is shown only in this answer")
            .Accepts<CreateWebhookBody>("application/json")
            .Produces<WebhookResource>(StatusCodes.Status201Created).WithProblems(400, 401, 403, 413, 415);
        webhooks.MapGet("/", PlatformHandlers.ListWebhooks)
            .WithName("ListWebhooks").WithSummary("Admin: webhook subscriptions (without secrets)")
            .Produces<WebhookList>().WithProblems(401, 403);
        webhooks.MapGet("/{id}", PlatformHandlers.GetWebhook)
            .WithName("GetWebhook").WithSummary("Admin: one webhook subscription (without its secret)")
            .Produces<WebhookResource>().WithProblems(401, 403, 404);
        webhooks.MapDelete("/{id}", PlatformHandlers.DeleteWebhook)
            .WithName("DeleteWebhook").WithSummary("Admin: remove a subscription and its deliveries not yet sent")
            .Produces(StatusCodes.Status204NoContent).WithProblems(401, 403, 404);
        webhooks.MapGet("/{id}/deliveries", PlatformHandlers.Deliveries)
            .WithName("ListWebhookDeliveries").WithSummary("Admin: a subscription's deliveries, newest first (status = pending, succeeded, dead_lettered)")
            .Produces<DeliveryList>().WithProblems(400, 401, 403, 404);
        webhooks.MapPost("/{id}/deliveries/{deliveryId}/redeliver", PlatformHandlers.Redeliver)
            .WithName("RedeliverWebhook").WithSummary("Admin: send a delivery again (dead-lettered or not)")
            .Produces<WebhookDelivery>(StatusCodes.Status202Accepted).WithProblems(401, 403, 404);

        api.MapGet("/admin/audit", PlatformHandlers.Audit)
            .WithTags("Audit").WithName("ListAudit").WithSummary("Admin: the audit trail, newest first (filters actor, action, targetType, targetId, from, to)")
            .Produces<AuditList>().WithProblems(400, 401, 403);

        var residents = api.MapGroup("/residents/{residentId}").WithTags("Privacy");
        residents.MapGet("/export", PlatformHandlers.Export)
            .WithName("ExportResident").WithSummary("Everything held about a resident, to that resident or an admin")
            .Produces<ResidentExport>().WithProblems(401, 404);
        residents.MapDelete("/", PlatformHandlers.Erase)
            .WithName("EraseResident").WithSummary("Admin: erase a resident's personal data (open requests cancelled first; idempotent)")
            .Produces<ErasureResult>().WithProblems(401, 403);

        api.MapGet("/admin/usage", UsageHandlers.Usage).WithTags("Usage")
            .WithName("GetUsage").WithSummary("Admin: LLM tokens per model, model-server time and simulation CPU, by building, category and day")
            .Produces<UsageReport>().WithProblems(400, 401, 403);

        var learning = api.MapGroup("/admin/learning").WithTags("Learning");
        learning.MapPost("/run", LearningHandlers.Run)
            .WithName("RunLearning").WithSummary("Admin: learn from outcomes now; the candidate is adopted only if it predicts the newer outcomes better")
            .Produces<ApartmentManager.Learning.LearningRunResult>().WithProblems(401, 403);
        learning.MapGet("/", LearningHandlers.List)
            .WithName("ListLearning").WithSummary("Admin: the active parameter version and every version with its evaluation")
            .Produces<ApartmentManager.Learning.LearningOverview>().WithProblems(401, 403);
        learning.MapPost("/{version}/activate", LearningHandlers.Activate)
            .WithName("ActivateLearning").WithSummary("Admin: make a parameter version active (roll back; 'priors' for the configured priors)")
            .Produces<ApartmentManager.Learning.Parameters.ActiveParameters>().WithProblems(400, 401, 403, 404);
        learning.MapGet("/outcomes", LearningHandlers.Outcomes)
            .WithName("ExportOutcomes").WithSummary("Admin: the outcome data set as JSON lines (application/x-ndjson), oldest first")
            .Produces(StatusCodes.Status200OK, contentType: LearningHandlers.JsonLines).WithProblems(401, 403);

        var health = api.MapGroup("/health").WithTags("Health");
        health.MapGet("/", HealthHandlers.Live).WithName("Live").Produces<HealthReport>();
        health.MapGet("/ready", HealthHandlers.Ready).WithName("Ready").Produces<HealthReport>().WithProblems(503);
        return app;
    }

    private static RouteHandlerBuilder WithProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<ProblemBody>(status, Problems.ContentType);
        }
        return builder;
    }
}
