using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Events;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Application.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Adapters.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded SQLite request store under <c>Storage:DataDirectory</c>/requests.db, and beside it in the
    /// same file the event log (outbox), webhook subscriptions and deliveries, the audit trail and the erasure of all
    /// of them; in <c>learning.db</c> the outcome data set and the learned parameter sets.
    /// </summary>
    public static IServiceCollection AddSqliteRequestStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        services.AddKeyedSingleton(RequestsDatabaseKey, (sp, _) =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            // One connection for the hot path (a request's read and write, the workflow engine's bookkeeping): its page
            // cache survives from one call to the next (see SqliteDatabase).
            return new SqliteDatabase(Path.Combine(storage.ResolveDataDirectory(), "requests.db"), SqliteRequestStore.Migrations,
                singleSession: storage.SingleConnection);
        });
        services.AddSingleton<IRequestStore>(sp => new SqliteRequestStore(Database(sp)));
        services.AddSingleton<IEventLog>(sp => new SqliteEventLog(Database(sp)));
        services.AddSingleton<IWebhookStore>(sp => new SqliteWebhookStore(Database(sp)));
        services.AddSingleton<IAuditLog>(sp => new SqliteAuditLog(Database(sp)));
        services.AddSingleton<IPersonalDataHolder>(sp => new SqliteResidentEraser(Database(sp)));
        services.AddSingleton<IResidentDirectory>(sp =>
        {
            var dir = sp.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveDataDirectory();
            return new SqliteResidentDirectory(new SqliteDatabase(Path.Combine(dir, "residents.db"), SqliteResidentDirectory.Migrations));
        });
        services.AddSingleton(sp =>
        {
            var dir = sp.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveDataDirectory();
            return new SqliteLearningStore(new SqliteDatabase(Path.Combine(dir, "learning.db"), SqliteLearningStore.Migrations));
        });
        services.AddSingleton<ApartmentManager.Learning.Outcomes.IOutcomeStore>(sp => sp.GetRequiredService<SqliteLearningStore>());
        services.AddSingleton<ApartmentManager.Learning.Parameters.IParameterSetStore>(sp => sp.GetRequiredService<SqliteLearningStore>());
        return services;
    }

    /// <summary>The DI key of the <c>requests.db</c> <see cref="SqliteDatabase"/>.</summary>
    public const string RequestsDatabaseKey = "requests";

    private static SqliteDatabase Database(IServiceProvider sp) => sp.GetRequiredKeyedService<SqliteDatabase>(RequestsDatabaseKey);
}
