namespace ApartmentManager.Inference.Contracts;

/// <summary>POST /v1/embeddings.</summary>
public sealed record EmbeddingsRequest(IReadOnlyList<string>? Texts);

/// <summary>One unit-length vector per text, in request order (the zero vector for a text with no known term).</summary>
public sealed record EmbeddingsResponse(string Model, string ModelVersion, int Dimensions, IReadOnlyList<float[]> Embeddings);
