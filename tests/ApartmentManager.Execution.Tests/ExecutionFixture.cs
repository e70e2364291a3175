using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ApartmentManager.Execution.Tests;

/// <summary>A temporary data directory and a service provider built through <c>AddExecution</c>, as the hosts do.</summary>
public sealed class ExecutionHarness : IDisposable
{
    public ExecutionHarness(IDictionary<string, string?>? settings = null)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "am-exec-tests", Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?> { ["Storage:DataDirectory"] = DataDirectory };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        Provider = new ServiceCollection().AddLogging().AddExecution(configuration).BuildServiceProvider();
    }

    public string DataDirectory { get; }
    public ServiceProvider Provider { get; }
    public IActionExecutor Executor => Provider.GetRequiredService<IActionExecutor>();
    public T Get<T>() where T : notnull => Provider.GetRequiredService<T>();

    public static Dictionary<string, string?> Webhook(LoopbackReceiver receiver, double attemptTimeoutSeconds = 5, int maxRetries = 3, string secret = LoopbackReceiver.Secret) => new()
    {
        ["Execution:Mode"] = "webhook",
        ["Execution:Webhook:WorkOrdersUrl"] = receiver.Url("work-orders").ToString(),
        ["Execution:Webhook:NotificationsUrl"] = receiver.Url("notifications").ToString(),
        ["Execution:Webhook:LedgerUrl"] = receiver.Url("ledger").ToString(),
        ["Execution:Webhook:SigningSecret"] = secret,
        ["Execution:Webhook:AttemptTimeoutSeconds"] = attemptTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Execution:Webhook:TotalTimeoutSeconds"] = "20",
        ["Execution:Webhook:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Execution:Webhook:BaseDelayMilliseconds"] = "20",
        ["Execution:Webhook:BreakerMinimumThroughput"] = "100",
    };

    public void Dispose()
    {
        Provider.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
