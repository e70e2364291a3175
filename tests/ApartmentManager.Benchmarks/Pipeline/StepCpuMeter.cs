using System.Collections.Concurrent;
using System.Reflection;
using ApartmentManager.Observability.Usage;
using ApartmentManager.Workflow;

namespace ApartmentManager.Benchmarks.Pipeline;

/// <summary>
/// Wraps <see cref="IPipelineSteps"/> and adds each step's CPU time (the calling thread's CPU clock around the call) to
/// a per-step total. Exact for steps that finish on the thread that started them; the benchmark runs the simulation's
/// options on that thread (Decision:Simulation:Parallel=false) so the simulate step is too, and counts steps that did
/// not finish synchronously (their CPU after the first await is not in the figure).
/// </summary>
public class StepCpuMeter : DispatchProxy
{
    private IPipelineSteps _inner = null!;

    public static ConcurrentDictionary<string, (long Calls, double CpuMs, long Async)> Totals { get; } = new();

    public static IPipelineSteps Wrap(IPipelineSteps inner)
    {
        var proxy = Create<IPipelineSteps, StepCpuMeter>();
        ((StepCpuMeter)(object)proxy)._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var before = ThreadCpuTime.Now();
        object? result;
        try
        {
            result = targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
        var cpu = (ThreadCpuTime.Now() - before).TotalMilliseconds;
        var sync = result is not Task task || task.IsCompleted;
        var name = targetMethod!.Name.Replace("Async", "", StringComparison.Ordinal);
        Totals.AddOrUpdate(name, (1, cpu, sync ? 0 : 1), (_, t) => (t.Calls + 1, t.CpuMs + cpu, t.Async + (sync ? 0 : 1)));
        return result;
    }
}
