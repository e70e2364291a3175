using System.Collections.Immutable;
using ApartmentManager.Functions.Hosting;
using ApartmentManager.Workflow.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace ApartmentManager.Functions.Tests;

public sealed class DurableClientMiddlewareTests
{
    private static FunctionDefinition Definition(params (string Name, string Type)[] inputs)
    {
        var bindings = inputs.ToImmutableDictionary(i => i.Name, i =>
        {
            var binding = new Mock<BindingMetadata>();
            binding.SetupGet(b => b.Name).Returns(i.Name);
            binding.SetupGet(b => b.Type).Returns(i.Type);
            binding.SetupGet(b => b.Direction).Returns(BindingDirection.In);
            return binding.Object;
        });
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.InputBindings).Returns(bindings);
        return definition.Object;
    }

    [Fact]
    public void The_durable_client_binding_is_found_by_its_type_whatever_the_parameter_is_called()
    {
        var found = DurableClientMiddleware.FindBinding(Definition(("req", "httpTrigger"), ("durableClient", "durableClient")));
        Assert.Equal("durableClient", found?.Name);
        Assert.Equal("anything", DurableClientMiddleware.FindBinding(Definition(("anything", "DurableClient")))?.Name);
    }

    [Fact]
    public async Task A_function_without_the_binding_runs_without_a_client()
    {
        using var services = new ServiceCollection().AddScoped<DurableClientScope>().BuildServiceProvider();
        using var scope = services.CreateScope();
        var context = FunctionsTestHost.FunctionContextFor(scope.ServiceProvider);
        context.SetupGet(c => c.FunctionDefinition).Returns(Definition(("message", "serviceBusTrigger")));
        var ran = false;

        await new DurableClientMiddleware().Invoke(context.Object, _ => { ran = true; return Task.CompletedTask; });

        Assert.True(ran);
        Assert.False(scope.ServiceProvider.GetRequiredService<DurableClientScope>().HasClient);
    }
}
