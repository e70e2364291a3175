using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Scoring;

/// <summary>A session and the execution provider it actually runs on.</summary>
/// <param name="CpuFallbackReason">Why CUDA was asked for but the session runs on CPU; null otherwise.</param>
public sealed record OnnxSession(InferenceSession Session, string ExecutionProvider, string? CpuFallbackReason) : IDisposable
{
    public string Version(string fallback = "unknown") => OnnxSessionFactory.Version(Session, fallback);

    public void Dispose() => Session.Dispose();
}

/// <summary>
/// Builds every ONNX Runtime session of the project from <see cref="OnnxSessionSettings"/>: one tuned session per
/// model, reused for every call (sessions allow concurrent <c>Run</c> calls), with a clear error when a model file is
/// missing and the CUDA provider when asked for.
/// </summary>
public static class OnnxSessionFactory
{
    public static OnnxSession Create(string path, OnnxSessionSettings? settings = null)
    {
        settings ??= OnnxSessionSettings.Default;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Model file not found at '{path}'. Set {settings.ConfigurationHint}, build the solution (the sentence encoder is extracted at build time) "
                + "or run the training command (see inference-containers/models/README.md).", path);
        }
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = settings.GraphOptimizationLevel switch
            {
                OptimizationLevel.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
                OptimizationLevel.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                OptimizationLevel.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            IntraOpNumThreads = settings.IntraOpThreads,
            InterOpNumThreads = settings.InterOpThreads,
            // Callers (the batcher, request threads) already run in parallel; parallel node execution would only fight them for cores.
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            EnableCpuMemArena = settings.EnableCpuMemArena,
            EnableMemoryPattern = settings.EnableMemoryPattern,
            LogId = Path.GetFileNameWithoutExtension(path),
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
        var provider = "cpu";
        string? fallback = null;
        if (settings.ExecutionProvider == ExecutionProviderKind.Cuda)
        {
            try
            {
                // Same managed call in the CPU and GPU packages; only the CUDA build's native library can honour it.
                options.AppendExecutionProvider_CUDA(settings.CudaDeviceId);
                provider = "cuda";
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                if (!settings.FallbackToCpu)
                {
                    throw new InvalidOperationException(
                        $"The CUDA execution provider could not be enabled ({ex.Message}). Build with -p:UseGpu=true and run on a GPU node, or allow the CPU fallback.", ex);
                }
                fallback = ex.Message;
            }
        }
        return new OnnxSession(new InferenceSession(path, options), provider, fallback);
    }

    /// <summary>The model's <c>model_version</c> metadata.</summary>
    public static string Version(InferenceSession session, string fallback = "unknown") =>
        session.ModelMetadata.CustomMetadataMap.TryGetValue("model_version", out var v) ? v : fallback;
}
