using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Inference.Server.Models;

/// <summary>Builds every session of the server from <see cref="InferenceServerOptions"/>: one tuned session per model, reused for every call.</summary>
public static class OnnxSessions
{
    public static InferenceSession Create(string path, InferenceServerOptions options, ILogger logger, out string executionProvider)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file not found at '{path}'. Set Inference:ModelDirectory (see inference-containers/README.md).", path);
        }
        using var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = options.GraphOptimizationLevel switch
            {
                OptimizationLevel.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
                OptimizationLevel.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                OptimizationLevel.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            // The batcher already parallelises across requests; parallel node execution would only fight it for cores.
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            EnableCpuMemArena = options.EnableCpuMemArena,
            EnableMemoryPattern = options.EnableMemoryPattern,
            LogId = Path.GetFileNameWithoutExtension(path),
        };
        executionProvider = "cpu";
        if (options.ExecutionProvider == ExecutionProviderKind.Cuda)
        {
            try
            {
                // Same managed call in both packages; only the CUDA build's native library can honour it.
                sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                executionProvider = "cuda";
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                if (!options.FallbackToCpu)
                {
                    throw new InvalidOperationException(
                        $"Inference:ExecutionProvider is cuda but the CUDA provider could not be enabled ({ex.Message}). Build with -p:UseGpu=true and run on a GPU node, or set Inference:FallbackToCpu=true.", ex);
                }
                logger.LogWarning(ex, "CUDA execution provider unavailable for {Model}; serving on CPU", path);
            }
        }
        return new InferenceSession(path, sessionOptions);
    }

    public static string Version(InferenceSession session, string fallback = "unknown") =>
        session.ModelMetadata.CustomMetadataMap.TryGetValue("model_version", out var v) ? v : fallback;
}
