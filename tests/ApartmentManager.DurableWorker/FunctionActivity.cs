using System.Reflection;
using ApartmentManager.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.DurableWorker;

/// <summary>
/// One of the app's activity functions (a <c>[Function]</c> method with an <c>[ActivityTrigger]</c> parameter), run as
/// the Functions worker runs it: an instance made from the services, the trigger parameter bound to the input, any
/// other parameter resolved as a service. Found by their attributes, so a new activity needs no edit here. Used by the
/// in-memory engine tests and by this worker.
/// </summary>
public sealed class FunctionActivity(string name, MethodInfo method, IServiceProvider services, Action<string, object?>? onRun = null) : ITaskActivity
{
    private readonly ParameterInfo trigger = method.GetParameters().Single(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);

    public string Name { get; } = name;

    public Type InputType => trigger.ParameterType;

    public Type OutputType => method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
        ? method.ReturnType.GetGenericArguments()[0]
        : method.ReturnType;

    /// <summary>Every activity function in <paramref name="app"/>; <paramref name="onRun"/> hears each execution (the step it ran, or the function name, and its input).</summary>
    public static IReadOnlyList<FunctionActivity> Discover(Assembly app, IServiceProvider services, Action<string, object?>? onRun = null) =>
        [.. Declared(app).Select(f => new FunctionActivity(f.Name, f.Method, services, onRun))];

    /// <summary>The activity functions <paramref name="app"/> declares: function name and method.</summary>
    public static IReadOnlyList<(string Name, MethodInfo Method)> Declared(Assembly app) =>
    [
        .. from type in app.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
           let function = method.GetCustomAttribute<FunctionAttribute>()
           where function is not null && method.GetParameters().Any(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null)
           select (function.Name, method),
    ];

    public async Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        // The step activity runs any declared step: report the step it ran, not the activity's name.
        onRun?.Invoke(input is StepCall call ? call.Step : Name, input is StepCall c ? c.Input : input);
        var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        var arguments = method.GetParameters().Select(p =>
            p == trigger ? input
            : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
            : services.GetRequiredService(p.ParameterType)).ToArray();
        object? result;
        try
        {
            result = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        if (result is Task task)
        {
            await task;
            return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
        }
        return result;
    }
}
