using System.ComponentModel.DataAnnotations;
using ApartmentManager.Scoring;

namespace ApartmentManager.Inference.Server;

/// <summary>Configuration section "Inference" of the model server.</summary>
public sealed class InferenceServerOptions
{
    public const string SectionName = "Inference";

    /// <summary>Folder holding text-classifier.onnx, risk-model.onnx and encoder/ (model.onnx + vocab.txt, extracted at build time); relative paths resolve against the app folder.</summary>
    [Required]
    public string ModelDirectory { get; set; } = "models";

    public string TextModelFile { get; set; } = "text-classifier.onnx";
    public string RiskModelFile { get; set; } = "risk-model.onnx";
    public string EncoderDirectory { get; set; } = "encoder";

    /// <summary>Classification heads over the encoder for English texts on /v1/classify; without the file the n-gram model answers all.</summary>
    public string EncoderHeadsFile { get; set; } = "encoder-heads.onnx";

    /// <summary>Upper token counts of the encoder's length buckets: each bucket has its own batcher, so a batch pads only to its bucket's length.</summary>
    public int[] EncoderBuckets { get; set; } = [16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256];

    /// <summary>Embeddings kept by normalised-text hash (0 turns the cache off).</summary>
    [Range(0, 10_000_000)]
    public int EmbeddingCacheCapacity { get; set; } = 16384;

    /// <summary>cpu or cuda. cuda needs the image built with -p:UseGpu=true (the CPU package has no CUDA provider).</summary>
    public ExecutionProviderKind ExecutionProvider { get; set; } = ExecutionProviderKind.Cpu;

    [Range(0, 64)]
    public int CudaDeviceId { get; set; }

    /// <summary>When cuda cannot be enabled: true serves on CPU with a warning; false (default) keeps the server unready so a misconfigured GPU pod never takes traffic.</summary>
    public bool FallbackToCpu { get; set; }

    /// <summary>Threads one session may use inside an operator. 1 suits small models under concurrency; raise it for big batches on many cores.</summary>
    [Range(1, 64)]
    public int IntraOpThreads { get; set; } = 1;

    [Range(1, 64)]
    public int InterOpThreads { get; set; } = 1;

    public OptimizationLevel GraphOptimizationLevel { get; set; } = OptimizationLevel.All;

    /// <summary>Keeps freed tensor memory in ONNX Runtime's arena for the next run (fewer allocations per batch).</summary>
    public bool EnableCpuMemArena { get; set; } = true;

    /// <summary>Plans buffer reuse from the first run's shapes.</summary>
    public bool EnableMemoryPattern { get; set; } = true;

    /// <summary>Most texts or rows in one request; more is a 400.</summary>
    [Range(1, 4096)]
    public int MaxItemsPerRequest { get; set; } = 64;

    /// <summary>Longest accepted text in characters; longer is a 400 (resident messages are short; this bounds featurisation cost).</summary>
    [Range(1, 1_000_000)]
    public int MaxTextLength { get; set; } = 8000;

    /// <summary>Request bodies above this are refused with 413 before they are read.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 2 * 1024 * 1024;

    public BatchingOptions Batching { get; set; } = new();

    public WarmupOptions Warmup { get; set; } = new();

    public OnnxSessionSettings SessionSettings() => new()
    {
        IntraOpThreads = IntraOpThreads,
        InterOpThreads = InterOpThreads,
        GraphOptimizationLevel = GraphOptimizationLevel,
        EnableCpuMemArena = EnableCpuMemArena,
        EnableMemoryPattern = EnableMemoryPattern,
        ExecutionProvider = ExecutionProvider,
        CudaDeviceId = CudaDeviceId,
        FallbackToCpu = FallbackToCpu,
        ConfigurationHint = "Inference:ModelDirectory (see inference-containers/README.md)",
    };

    public string ResolvePath(string file)
    {
        var dir = Path.IsPathRooted(ModelDirectory) ? ModelDirectory : Path.Combine(AppContext.BaseDirectory, ModelDirectory);
        return Path.Combine(dir, file);
    }
}

public sealed class BatchingOptions
{
    /// <summary>false: every request runs its own session call at once (the baseline the load test compares against).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Rows per session call; a batch closes when it reaches this or when its oldest request has waited <see cref="MaxQueueDelayMilliseconds"/>.</summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>How long the first request of a batch may wait for company. 0: take only what is already queued.</summary>
    [Range(0, 1000)]
    public double MaxQueueDelayMilliseconds { get; set; } = 2;

    /// <summary>Requests waiting per model; beyond it the server answers 503 with Retry-After instead of queueing without bound.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Batches in flight per model (each worker runs one session call at a time).</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 1;

    /// <summary>
    /// Encoder session calls at once across all its length buckets; 0 = one per processor. A bucket's worker waits
    /// for a free call before it fills its batch, so its queue grows meanwhile, and the compute threads never
    /// outnumber the cores (more would starve the request threads that fill the queues: small batches).
    /// </summary>
    [Range(0, 256)]
    public int EncoderConcurrentCalls { get; set; }

    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;
}

public sealed class WarmupOptions
{
    /// <summary>Session calls per model and batch shape before the server reports ready (first calls allocate and plan).</summary>
    [Range(1, 100)]
    public int Iterations { get; set; } = 3;
}
