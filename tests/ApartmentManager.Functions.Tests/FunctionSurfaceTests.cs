using System.Reflection;
using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Api;
using ApartmentManager.Domain;
using ApartmentManager.Functions.Http;
using ApartmentManager.Functions.Messaging;
using ApartmentManager.Functions.Workflow;
using ApartmentManager.Workflow.Durable;
using ApartmentManager.Pipeline;
using ApartmentManager.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace ApartmentManager.Functions.Tests;

/// <summary>The function surface, read off the attributes the Functions SDK reads: names, routes, triggers, bindings.</summary>
public sealed class FunctionSurfaceTests
{
    private static readonly MethodInfo[] Functions = typeof(RequestFunctions).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
        .ToArray();

    private static string NameOf(MethodInfo m) => m.GetCustomAttribute<FunctionAttribute>()!.Name;

    private static T? Trigger<T>(MethodInfo m) where T : Attribute =>
        m.GetParameters().Select(p => p.GetCustomAttribute<T>()).FirstOrDefault(a => a is not null);

    [Fact]
    public void Function_names_are_unique()
    {
        var names = Functions.Select(NameOf).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Every_function_that_can_reach_the_workflow_declares_a_durable_client()
    {
        // The Durable gateway gets its client from the [DurableClient] binding (DurableClientMiddleware binds it), so
        // any function whose class depends on the shared request service or the workflow ports must declare one.
        Type[] workflowUsers = [typeof(ApartmentManager.Application.Requests.RequestService),
            typeof(ApartmentManager.Application.Ports.IWorkflowGateway), typeof(ApartmentManager.Application.Ports.IWorkflowStatusReader)];
        var reaching = Functions.Where(m => m.DeclaringType!.GetConstructors()
            .Any(c => c.GetParameters().Any(p => workflowUsers.Contains(p.ParameterType)))).ToList();

        Assert.NotEmpty(reaching);
        Assert.All(reaching, m => Assert.Contains(m.GetParameters(),
            p => p.GetCustomAttribute<DurableClientAttribute>() is not null && p.ParameterType == typeof(Microsoft.DurableTask.Client.DurableTaskClient)));
        // And nothing else needs one: the activities and the orchestrator never do.
        Assert.All(Functions.Except(reaching), m => Assert.DoesNotContain(m.GetParameters(), p => p.GetCustomAttribute<DurableClientAttribute>() is not null));
    }

    [Fact]
    public void One_activity_runs_every_declared_workflow_step()
    {
        var activities = Functions.Where(m => Trigger<ActivityTriggerAttribute>(m) is not null).ToList();
        Assert.Equal([WorkflowStepActivity.Name], activities.Select(NameOf));
        var run = Assert.Single(activities, m => NameOf(m) == WorkflowStepActivity.Name);
        Assert.Equal(typeof(StepCall), run.GetParameters()[0].ParameterType);
        Assert.Equal(WorkflowSteps.All.Count, WorkflowSteps.All.Select(s => s.Name).Distinct().Count());
        var orchestrator = Assert.Single(Functions, m => Trigger<OrchestrationTriggerAttribute>(m) is not null);
        Assert.Equal(RequestWorkflow.Name, NameOf(orchestrator));
    }

    [Fact]
    public async Task The_step_activity_hands_its_input_to_the_pipeline_step_it_names()
    {
        var called = new List<(string Step, StepInput Input)>();
        var steps = new Mock<IPipelineSteps>(MockBehavior.Strict);
        var done = new StepDone(RequestStatus.Classified);
        steps.Setup(s => s.ClassifyAsync(It.IsAny<StepInput>(), It.IsAny<CancellationToken>()))
            .Callback<StepInput, CancellationToken>((i, _) => called.Add((WorkflowSteps.Classify.Name, i))).ReturnsAsync(done);
        steps.Setup(s => s.DecideAsync(It.IsAny<StepInput>(), It.IsAny<CancellationToken>()))
            .Callback<StepInput, CancellationToken>((i, _) => called.Add((WorkflowSteps.Decide.Name, i)))
            .ReturnsAsync(new DecisionOutcome(NextStep.Proceed, "opt-1", TimeSpan.FromHours(48), TimeSpan.FromHours(4), true, RequestStatus.Decided));
        steps.Setup(s => s.ExecuteAsync(It.IsAny<StepInput>(), It.IsAny<CancellationToken>()))
            .Callback<StepInput, CancellationToken>((i, _) => called.Add((WorkflowSteps.Execute.Name, i)))
            .ReturnsAsync(new ExecutionOutcome(true, ["wo-9"]));
        steps.Setup(s => s.EscalateAsync(It.IsAny<StepInput>(), It.IsAny<CancellationToken>()))
            .Callback<StepInput, CancellationToken>((i, _) => called.Add((WorkflowSteps.Escalate.Name, i))).ReturnsAsync(done);
        var activity = new WorkflowStepActivity(steps.Object);

        Assert.Equal(done, WorkflowSteps.Classify.Deserialize(await activity.Run(new StepCall("Classify", new StepInput("req_1")), CancellationToken.None)));
        Assert.Equal("opt-1", WorkflowSteps.Decide.Deserialize(await activity.Run(new StepCall("Decide", new StepInput("req_1")), CancellationToken.None)).RecommendedOptionId);
        Assert.Equal(["wo-9"], WorkflowSteps.Execute.Deserialize(await activity.Run(new StepCall("Execute", new StepInput("req_1", "opt-1")), CancellationToken.None)).ExecutionIds);
        await activity.Run(new StepCall("Escalate", new StepInput("req_1", Reason: "why")), CancellationToken.None);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => activity.Run(new StepCall("NoSuchStep", new StepInput("req_1")), CancellationToken.None));

        Assert.Equal(
            [(WorkflowSteps.Classify.Name, new StepInput("req_1")), (WorkflowSteps.Decide.Name, new StepInput("req_1")),
             (WorkflowSteps.Execute.Name, new StepInput("req_1", "opt-1")), (WorkflowSteps.Escalate.Name, new StepInput("req_1", Reason: "why"))],
            called);
    }

    [Fact]
    public void Http_triggers_cover_exactly_the_shared_api_routes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddApartmentManagerApi();
        // Only so the handlers' service parameters are recognised as services (as in the single-node host); never resolved.
        builder.Services.AddSqliteRequestStore(builder.Configuration);
        builder.Services.AddPipeline(builder.Configuration);
        var app = builder.Build();
        app.MapApartmentManagerApi();
        var expected = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
                .Select(method => $"{method} /{e.RoutePattern.RawText!.Trim('/')}"))
            .Order().ToList();

        var actual = Functions
            .Select(m => Trigger<HttpTriggerAttribute>(m))
            .Where(t => t is not null)
            .SelectMany(t => t!.Methods!.Select(method => $"{method.ToUpperInvariant()} /api/{t.Route}"))
            .Order().ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Service_bus_bindings_name_the_designed_queues_topic_and_identity_connection()
    {
        var intake = Trigger<ServiceBusTriggerAttribute>(typeof(IntakeFunction).GetMethod(nameof(IntakeFunction.Run))!)!;
        Assert.Equal("requests-intake", intake.QueueName);
        Assert.Equal("ServiceBusConnection", intake.Connection);

        var executions = typeof(ExecutionsFunction).GetMethod(nameof(ExecutionsFunction.Run))!;
        Assert.Equal("executions", Trigger<ServiceBusTriggerAttribute>(executions)!.QueueName);

        Assert.Equal("ServiceBusConnection", Trigger<ServiceBusTriggerAttribute>(executions)!.Connection);

        // Topic request-events gets the domain events from the outbox dispatcher (the SDK, at least once), so no
        // function has an output binding to it any more: the old orchestrator milestones are gone.
        Assert.DoesNotContain(Functions, m => m.GetCustomAttribute<ServiceBusOutputAttribute>() is not null);
        Assert.Equal("request-events", ApartmentManager.Functions.Platform.ServiceBusDomainEventPublisher.Topic);
    }
}
