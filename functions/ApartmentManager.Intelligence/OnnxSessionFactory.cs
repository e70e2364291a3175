using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.Intelligence;

/// <summary>Creates ONNX Runtime sessions with the same settings everywhere, with a clear error when a model file is missing.</summary>
internal static class OnnxSessionFactory
{
    public static InferenceSession Create(string path, int intraOpThreads)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Model file not found at '{path}'. Set Intelligence:ModelDirectory or run the training command (see inference-containers/models/README.md).", path);
        }
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        return new InferenceSession(path, options);
    }

    public static string Version(InferenceSession session) =>
        session.ModelMetadata.CustomMetadataMap.TryGetValue("model_version", out var v) ? v : "unknown";
}
