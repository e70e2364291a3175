using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.DurableWorker;

/// <summary>
/// The Azure Storage task hub (queues, tables and blobs in one storage account; Azurite here) as Durable Functions
/// configures it by default (the table partition manager), with the timings shortened so that a killed worker's work
/// is picked up within seconds rather than minutes: a message a dead worker had dequeued becomes visible again after
/// <see cref="VisibilityTimeout"/>, and its partition leases expire after <see cref="LeaseInterval"/>.
/// </summary>
public static class AzureStorageTaskHub
{
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan LeaseInterval = TimeSpan.FromSeconds(4);

    /// <summary>The backend for one process. <paramref name="workerId"/> must differ per process: a restarted worker
    /// that reused its predecessor's id would find the partitions "already its own" and never listen on them.</summary>
    public static AzureStorageOrchestrationService Create(string connectionString, string taskHub, string workerId, ILoggerFactory loggerFactory) =>
        new(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = taskHub,
            WorkerId = workerId,
            PartitionCount = 2,
            UseTablePartitionManagement = true,
            LeaseInterval = LeaseInterval,
            LeaseRenewInterval = TimeSpan.FromSeconds(1),
            LeaseAcquireInterval = TimeSpan.FromSeconds(1),
            ControlQueueVisibilityTimeout = VisibilityTimeout,
            WorkItemQueueVisibilityTimeout = VisibilityTimeout,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            LoggerFactory = loggerFactory,
        });
}

/// <summary>
/// The Durable Task gRPC sidecar (the SDK's <see cref="TaskHubGrpcServer"/>) over any orchestration service, on
/// 127.0.0.1 and a port the operating system assigns when Kestrel binds (port 0): no port is guessed, so none can
/// collide. <see cref="TaskHubGrpcServerMode.ApiServerAndDispatcher"/> also dispatches work to a connected worker;
/// <see cref="TaskHubGrpcServerMode.ApiServerOnly"/> only serves the client API (start, query, raise, terminate).
/// </summary>
public sealed class TaskHubSidecar : IAsyncDisposable
{
    private readonly WebApplication app;

    private TaskHubSidecar(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<TaskHubSidecar> StartAsync(IOrchestrationService service, TaskHubGrpcServerMode mode, ILoggerFactory loggerFactory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton((IOrchestrationServiceClient)service);
        builder.Services.Configure<TaskHubGrpcServerOptions>(o => o.Mode = mode);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TaskHubSidecar(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
