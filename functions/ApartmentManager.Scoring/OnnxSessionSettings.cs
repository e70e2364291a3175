namespace ApartmentManager.Scoring;

/// <summary>Where a session runs.</summary>
public enum ExecutionProviderKind
{
    Cpu,
    Cuda,
}

/// <summary>ONNX Runtime graph optimisation level, as configuration spells it.</summary>
public enum OptimizationLevel
{
    None,
    Basic,
    Extended,
    All,
}

/// <summary>How every ONNX Runtime session of the project is built (in process and in the model server).</summary>
public sealed record OnnxSessionSettings
{
    public static readonly OnnxSessionSettings Default = new();

    public int IntraOpThreads { get; init; } = 1;
    public int InterOpThreads { get; init; } = 1;

    /// <summary>
    /// Whether ONNX Runtime's intra-op worker threads spin while waiting for work (only matters with
    /// <see cref="IntraOpThreads"/> above 1). Off by default: spinning trades CPU for latency, and on a server whose
    /// cores are busy with other requests the spinning threads burn the CPU those requests need.
    /// </summary>
    public bool AllowSpinning { get; init; }
    public OptimizationLevel GraphOptimizationLevel { get; init; } = OptimizationLevel.All;
    public bool EnableCpuMemArena { get; init; } = true;
    public bool EnableMemoryPattern { get; init; } = true;
    public ExecutionProviderKind ExecutionProvider { get; init; } = ExecutionProviderKind.Cpu;
    public int CudaDeviceId { get; init; }

    /// <summary>When CUDA cannot be enabled: false throws (the server stays unready), true serves on CPU.</summary>
    public bool FallbackToCpu { get; init; }

    /// <summary>Named in the "file not found" message, e.g. "Intelligence:ModelDirectory".</summary>
    public string ConfigurationHint { get; init; } = "the model directory setting";
}
