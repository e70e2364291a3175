using System.ComponentModel.DataAnnotations;

namespace ApartmentManager.Execution.Webhooks.Subscriptions;

/// <summary>How event deliveries to webhook subscribers are attempted (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookDispatchOptions
{
    public const string Section = "Webhooks";

    /// <summary>Attempts before a delivery is dead-lettered (it can be redelivered by an admin).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the second attempt; doubles per attempt, with ±20 % jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the dispatcher looks for new events and due deliveries when idle.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Deliveries sent at the same time.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 8;
}
