namespace ApartmentManager.Inference.Contracts;

/// <summary>POST /v1/classify: messages to score with the text model (already passed through the prompt guard by the caller).</summary>
public sealed record ClassifyRequest(IReadOnlyList<string>? Texts);

/// <summary>
/// The text model's answer per message, in request order: the same shape as the in-process
/// <c>TextModelOutput</c> so a client can substitute it for the model stage. Probabilities are in label order.
/// </summary>
public sealed record ClassifyResponse(
    string Model,
    string ModelVersion,
    IReadOnlyList<string> CategoryLabels,
    IReadOnlyList<string> UrgencyLabels,
    IReadOnlyList<TextModelScores> Results);

/// <param name="ModelVersion">Which model scored this text: the encoder heads (English) or the n-gram model (other languages).</param>
public sealed record TextModelScores(float[] CategoryProbabilities, float[] UrgencyProbabilities, IReadOnlyList<string> TopFeatures, string? ModelVersion = null);
