using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Application.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Workflow.Embedded.Queues;

public static class EmbeddedQueueServiceCollectionExtensions
{
    /// <summary>SQLite-backed queues in <c>Storage:DataDirectory</c>/queues.db, consumed by the handlers the host registers.</summary>
    public static IServiceCollection AddEmbeddedQueues(this IServiceCollection services, Action<EmbeddedQueueRegistry> register, int maxAttempts = 5)
    {
        var registry = new EmbeddedQueueRegistry();
        register(registry);
        services.AddMetrics();
        services.AddSingleton(registry);
        services.AddSingleton(sp => new SqliteMessageQueue(
            new SqliteDatabase(Path.Combine(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveDataDirectory(), "queues.db"), SqliteMessageQueue.Migrations),
            sp.GetRequiredService<TimeProvider>(), maxAttempts));
        services.AddSingleton<IMessageQueue>(sp => sp.GetRequiredService<SqliteMessageQueue>());
        services.AddHostedService<EmbeddedQueueProcessor>();
        return services;
    }
}
