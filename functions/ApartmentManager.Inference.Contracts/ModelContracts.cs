namespace ApartmentManager.Inference.Contracts;

/// <summary>GET /v1/models.</summary>
public sealed record ModelsResponse(bool Ready, string ExecutionProvider, IReadOnlyList<ModelDescription> Models);

public sealed record ModelDescription(
    string Name,
    string Version,
    string File,
    bool WarmedUp,
    IReadOnlyList<TensorDescription> Inputs,
    IReadOnlyList<TensorDescription> Outputs);

/// <summary>A tensor's element type and shape; -1 marks a dynamic dimension (the batch).</summary>
public sealed record TensorDescription(string Name, string ElementType, IReadOnlyList<long> Shape);
