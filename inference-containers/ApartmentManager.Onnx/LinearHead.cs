namespace ApartmentManager.Onnx;

/// <summary>
/// One softmax head of a linear classifier: logits = features · Weights + Bias.
/// <paramref name="Weights"/> is row-major [featureCount, Labels.Count].
/// </summary>
public sealed record LinearHead(string Name, IReadOnlyList<string> Labels, float[] Weights, float[] Bias);
