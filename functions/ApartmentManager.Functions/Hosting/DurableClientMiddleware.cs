using ApartmentManager.Workflow.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Functions.Hosting;

/// <summary>
/// Binds the invocation's <c>[DurableClient]</c> once, before the trigger runs, and hands it to the invocation's
/// <see cref="DurableClientScope"/>, which the Durable workflow gateway reads. Triggers only declare the binding.
/// </summary>
public sealed class DurableClientMiddleware : IFunctionsWorkerMiddleware
{
    /// <summary>The binding type the Durable extension gives <c>[DurableClient]</c> in the function metadata.</summary>
    public const string BindingType = "durableClient";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (FindBinding(context.FunctionDefinition) is { } binding)
        {
            var bound = await context.BindInputAsync<DurableTaskClient>(binding);
            if (bound.Value is { } client)
            {
                context.InstanceServices.GetRequiredService<DurableClientScope>().Use(client);
            }
        }
        await next(context);
    }

    public static BindingMetadata? FindBinding(FunctionDefinition function) =>
        function.InputBindings.Values.FirstOrDefault(b => string.Equals(b.Type, BindingType, StringComparison.OrdinalIgnoreCase));
}
