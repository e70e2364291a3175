namespace ApartmentManager.Execution;

public enum ExecutionMode
{
    /// <summary>Side effects are recorded in the local SQLite database (single-node mode).</summary>
    Embedded,
    /// <summary>Side effects are sent to external systems as signed HTTP webhooks.</summary>
    Webhook,
}

/// <summary>Bound from the <c>Execution</c> section; the data directory comes from <c>Storage:DataDirectory</c>.</summary>
public sealed class ExecutionOptions
{
    public const string SectionName = "Execution";

    public ExecutionMode Mode { get; set; } = ExecutionMode.Embedded;

    /// <summary>
    /// Folder holding <c>executions.db</c> (the execution log, and in embedded mode the gateways' records): always the
    /// resolved <c>Storage:DataDirectory</c>, never a path relative to the working directory.
    /// </summary>
    public string DataDirectory { get; set; } = "";

    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>
    /// How long a claim on an action shuts other instances out. An instance that dies mid-action leaves its claim;
    /// after this long another instance takes it over and re-sends with the same idempotency key. Must exceed the
    /// longest gateway call (<see cref="WebhookOptions.TotalTimeoutSeconds"/>), so a live holder is never taken over.
    /// </summary>
    public double LeaseSeconds { get; set; } = 120;

    /// <summary>How often an instance that found another one's live claim looks again (until it settles or expires).</summary>
    public double LeasePollMilliseconds { get; set; } = 250;

    public string DatabasePath => Path.Combine(
        string.IsNullOrWhiteSpace(DataDirectory) ? new ApartmentManager.Adapters.Sqlite.StorageOptions().ResolveDataDirectory() : DataDirectory,
        "executions.db");
}

public sealed class WebhookOptions
{
    public Uri? WorkOrdersUrl { get; set; }
    public Uri? NotificationsUrl { get; set; }
    public Uri? LedgerUrl { get; set; }

    /// <summary>HMAC-SHA256 key shared with the receivers. Supply it from a secret store, never from a committed file.</summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>Timeout of one attempt.</summary>
    public double AttemptTimeoutSeconds { get; set; } = 5;
    /// <summary>Timeout of the whole call, retries included.</summary>
    public double TotalTimeoutSeconds { get; set; } = 30;
    public int MaxRetries { get; set; } = 3;
    /// <summary>First retry delay; doubles each retry, with jitter.</summary>
    public double BaseDelayMilliseconds { get; set; } = 200;

    public double BreakerFailureRatio { get; set; } = 0.5;
    public int BreakerMinimumThroughput { get; set; } = 10;
    public double BreakerSamplingSeconds { get; set; } = 30;
    public double BreakerBreakSeconds { get; set; } = 15;
}
