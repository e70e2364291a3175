using System.ComponentModel.DataAnnotations;

namespace ApartmentManager.Adapters.Inference;

public enum InferenceMode
{
    /// <summary>ONNX Runtime in the host process (the single-node default).</summary>
    InProcess,

    /// <summary>The inference server over HTTP, with the in-process models as the fallback.</summary>
    Remote,
}

/// <summary>Configuration section "Inference" of a host that calls the inference server.</summary>
public sealed class InferenceClientOptions
{
    public const string SectionName = "Inference";

    /// <summary>inprocess (default) or remote.</summary>
    public InferenceMode Mode { get; set; } = InferenceMode.InProcess;

    /// <summary>The server's root, e.g. http://inference.internal.example:8080/. Required when Mode is remote.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>One HTTP attempt; a stalled server is abandoned after this.</summary>
    [Range(0.05, 300)]
    public double AttemptTimeoutSeconds { get; set; } = 2;

    /// <summary>The whole call, retries included, before the in-process fallback answers.</summary>
    [Range(0.1, 600)]
    public double TotalTimeoutSeconds { get; set; } = 5;

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay; later ones back off exponentially with jitter.</summary>
    [Range(0, 60)]
    public double RetryDelaySeconds { get; set; } = 0.1;

    /// <summary>Share of failed attempts within the sampling window that opens the breaker.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    [Range(0.5, 3600)]
    public double BreakerSamplingSeconds { get; set; } = 30;

    /// <summary>While open, calls go straight to the in-process models without touching the network.</summary>
    [Range(0.5, 3600)]
    public double BreakDurationSeconds { get; set; } = 15;

    /// <summary>Texts or rows per HTTP call; larger inputs are split (the server refuses more than its own limit).</summary>
    [Range(1, 4096)]
    public int MaxItemsPerRequest { get; set; } = 64;
}
