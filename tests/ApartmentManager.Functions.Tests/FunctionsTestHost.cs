using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Webhooks;
using ApartmentManager.Functions.Hosting;
using ApartmentManager.Workflow;
using ApartmentManager.Workflow.Durable;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;

namespace ApartmentManager.Functions.Tests;

/// <summary>
/// The Functions app's real service composition (<c>AddApartmentManagerFunctions</c>) over a real SQLite store in a
/// temp folder, with a mocked <see cref="DurableTaskClient"/> that behaves like a task hub: it remembers scheduled
/// instances and refuses a second start of a running one. Each invocation gets its own DI scope, as in the worker.
/// </summary>
internal sealed class FunctionsTestHost : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "am-functions-tests-" + Guid.NewGuid().ToString("N"));

    public FunctionsTestHost(Action<IServiceCollection>? configure = null, IDictionary<string, string?>? settings = null)
    {
        Directory.CreateDirectory(directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        // The real local store (and the event log, webhooks and audit beside it); registered first so the Cosmos
        // registration's TryAdd stands down.
        var database = new SqliteDatabase(Path.Combine(directory, "requests.db"), SqliteRequestStore.Migrations);
        services.AddSingleton<IRequestStore>(new SqliteRequestStore(database));
        services.AddSingleton<IEventLog>(new SqliteEventLog(database));
        services.AddSingleton<IWebhookStore>(new SqliteWebhookStore(database));
        services.AddSingleton<IAuditLog>(new SqliteAuditLog(database));
        services.AddSingleton<IResidentDirectory>(new SqliteResidentDirectory(
            new SqliteDatabase(Path.Combine(directory, "residents.db"), SqliteResidentDirectory.Migrations)));
        services.AddSingleton<IExecutionLog>(new SqliteExecutionLog(new ExecutionDatabase(Path.Combine(directory, "executions.db")), TimeProvider.System));
        var learning = new SqliteLearningStore(new SqliteDatabase(Path.Combine(directory, "learning.db"), SqliteLearningStore.Migrations));
        services.AddSingleton<ApartmentManager.Learning.Outcomes.IOutcomeStore>(learning);
        services.AddSingleton<ApartmentManager.Learning.Parameters.IParameterSetStore>(learning);
        services.AddApartmentManagerFunctions(configuration);
        services.RemoveAll<IPersonalDataHolder>();
        services.AddSingleton<IPersonalDataHolder>(new SqliteResidentEraser(database));
        services.AddSingleton<IPersonalDataHolder, ResidentDirectoryEraser>();
        configure?.Invoke(services);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        Client = new Mock<DurableTaskClient>(MockBehavior.Loose, "test-hub") { CallBase = true };
        Client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, bool _, CancellationToken _) => Instances.TryGetValue(id, out var m) ? m : null);
        Client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(
                It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Returns((TaskName name, object? _, StartOrchestrationOptions? options, CancellationToken _) =>
            {
                var id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
                Scheduled.Add((name.Name, id));
                if (Instances.ContainsKey(id))
                {
                    throw new InvalidOperationException($"An orchestration with instance id '{id}' already exists.");
                }
                Instances[id] = new OrchestrationMetadata(name.Name, id) { RuntimeStatus = OrchestrationRuntimeStatus.Pending };
                return Task.FromResult(id);
            });
        Client.Setup(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Returns((string id, string name, object? payload, CancellationToken _) =>
            {
                Raised.Add((id, name, payload));
                return Task.CompletedTask;
            });
    }

    public ServiceProvider Services { get; }
    public Mock<DurableTaskClient> Client { get; }
    public Dictionary<string, OrchestrationMetadata> Instances { get; } = [];
    public List<(string Orchestrator, string InstanceId)> Scheduled { get; } = [];
    public List<(string InstanceId, string EventName, object? Payload)> Raised { get; } = [];

    public IRequestStore Store => Services.GetRequiredService<IRequestStore>();

    /// <summary>A function class as the worker creates it: from the invocation's scope.</summary>
    public (T Function, IServiceScope Scope) Create<T>() where T : class
    {
        var scope = Services.CreateScope();
        // What DurableClientMiddleware does before every trigger that declares [DurableClient].
        scope.ServiceProvider.GetRequiredService<DurableClientScope>().Use(Client.Object);
        return (ActivatorUtilities.CreateInstance<T>(scope.ServiceProvider), scope);
    }

    /// <summary>A FunctionContext as the ASP.NET Core integration leaves it: the HttpContext in Items, the scope as services.</summary>
    public static Mock<FunctionContext> FunctionContextFor(IServiceProvider services, HttpContext? http = null, IDictionary<string, object?>? bindingData = null)
    {
        var context = new Mock<FunctionContext>();
        var items = new Dictionary<object, object>();
        if (http is not null)
        {
            items["HttpRequestContext"] = http;
        }
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(new Dictionary<string, object?>(bindingData ?? new Dictionary<string, object?>()));
        context.SetupGet(c => c.Items).Returns(items);
        context.SetupGet(c => c.InstanceServices).Returns(services);
        context.SetupGet(c => c.BindingContext).Returns(binding.Object);
        context.SetupGet(c => c.InvocationId).Returns(Guid.NewGuid().ToString());
        return context;
    }

    public static HttpContext NewHttp(IServiceProvider services, string method, string path, object? body = null, ClaimsPrincipal? user = null,
        IDictionary<string, string>? headers = null)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = method;
        http.Request.Scheme = "https";
        http.Request.Host = new HostString("apartment-manager.azurewebsites.net");
        http.Request.Path = path;
        if (body is not null)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Request.ContentType = "application/json";
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            http.Request.Headers[name] = value;
        }
        http.Response.Body = new MemoryStream();
        if (user is not null)
        {
            http.User = user;
        }
        return http;
    }

    public static ClaimsPrincipal Resident(string id) => Principal(id, "resident");

    public static ClaimsPrincipal Admin(string id = "manager-1") => Principal(id, "admin");

    private static ClaimsPrincipal Principal(string subject, string role) =>
        new(new ClaimsIdentity([new Claim("sub", subject), new Claim(ClaimTypes.Role, role)], "Bearer"));

    /// <summary>Runs the handler's result against the HttpContext, as the ASP.NET Core integration does, and reads the body.</summary>
    public static async Task<JsonNode?> ExecuteAsync(IResult result, HttpContext http)
    {
        await result.ExecuteAsync(http);
        http.Response.Body.Position = 0;
        var text = await new StreamReader(http.Response.Body, Encoding.UTF8).ReadToEndAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public void Dispose()
    {
        Services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail a test over cleanup.
        }
    }
}
