using ApartmentManager.Application.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Adapters.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>Registers the embedded SQLite request store under <c>Storage:DataDirectory</c>/requests.db.</summary>
    public static IServiceCollection AddSqliteRequestStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        services.AddSingleton<IRequestStore>(sp =>
        {
            var dir = sp.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveDataDirectory();
            return new SqliteRequestStore(new SqliteDatabase(Path.Combine(dir, "requests.db"), SqliteRequestStore.Migrations));
        });
        return services;
    }
}
