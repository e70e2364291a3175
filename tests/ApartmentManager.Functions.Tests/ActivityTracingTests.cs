using System.Diagnostics;
using ApartmentManager.Domain;
using ApartmentManager.Functions.Workflow;
using ApartmentManager.Observability;
using ApartmentManager.Workflow;
using Moq;

namespace ApartmentManager.Functions.Tests;

/// <summary>The Durable step activity records the same step spans as the embedded engine, inside the invocation's trace.</summary>
public sealed class ActivityTracingTests
{
    [Fact]
    public async Task Each_activity_is_a_step_span_under_the_invocation_and_a_failure_marks_it()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TelemetryNames.Workflow || s.Name == "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("test");

        var steps = new Mock<IPipelineSteps>(MockBehavior.Strict);
        steps.Setup(s => s.ClassifyAsync(It.IsAny<StepInput>(), It.IsAny<CancellationToken>())).ReturnsAsync(new StepDone(RequestStatus.Classified));
        steps.Setup(s => s.SimulateAsync(It.IsAny<StepInput>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("boom"));
        var activity = new WorkflowStepActivity(steps.Object);
        var requestId = "req_trace_" + Guid.NewGuid().ToString("N");

        ActivitySpanId invocation;
        using (var parent = source.StartActivity("invocation"))
        {
            invocation = parent!.SpanId;
            await activity.Run(new StepCall(WorkflowSteps.Classify.Name, new StepInput(requestId)), CancellationToken.None);
            await Assert.ThrowsAsync<InvalidOperationException>(() => activity.Run(new StepCall(WorkflowSteps.Simulate.Name, new StepInput(requestId)), CancellationToken.None));
        }

        List<Activity> mine;
        lock (spans)
        {
            mine = [.. spans.Where(s => Equals(s.GetTagItem("am.request.id"), requestId))];
        }
        var classify = Assert.Single(mine, s => s.DisplayName == "step Classify");
        Assert.Equal(invocation, classify.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, classify.Status);
        var simulate = Assert.Single(mine, s => s.DisplayName == "step Simulate");
        Assert.Equal(ActivityStatusCode.Error, simulate.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, simulate.GetTagItem("error.type"));
    }
}
