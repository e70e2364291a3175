namespace ApartmentManager.DurableWorker;

/// <summary>Bound from the <c>DurableWorker</c> section (environment: <c>DurableWorker__StorageConnectionString</c>, ...).</summary>
public sealed class DurableWorkerOptions
{
    public const string Section = "DurableWorker";

    /// <summary>The storage account of the task hub (Azurite's <c>devstoreaccount1</c> connection string with its ports).</summary>
    public string StorageConnectionString { get; set; } = "";

    public string TaskHub { get; set; } = "";

    /// <summary>How long each analysis step works (classify, risk, simulate, decide).</summary>
    public int StepMilliseconds { get; set; } = 100;

    /// <summary>Optional file that gets one line per activity execution (request, step, process id), kept across restarts.</summary>
    public string? StepLog { get; set; }

    public string? Problem() =>
        string.IsNullOrWhiteSpace(StorageConnectionString) ? "DurableWorker:StorageConnectionString is required."
        : string.IsNullOrWhiteSpace(TaskHub) ? "DurableWorker:TaskHub is required."
        : StepMilliseconds is < 0 or > 60_000 ? "DurableWorker:StepMilliseconds must be 0-60000."
        : null;
}
