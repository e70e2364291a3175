namespace ApartmentManager.Workflow.Embedded;

/// <summary>Embedded runner settings (configuration section <c>Workflow</c>).</summary>
public sealed class EmbeddedWorkflowOptions
{
    public const string Section = "Workflow";

    /// <summary>At most this many instances run at once.</summary>
    public int MaxConcurrentInstances { get; set; } = 8;

    /// <summary>Capacity of the in-memory ready window in front of the workers; work beyond it waits in the table, never in a caller.</summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>How often due timers and instances left behind by a crash are looked for.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
