namespace ApartmentManager.Adapters.Inference;

/// <summary>The server answered, but not with something usable: an error status, or a body that fails the client's checks.</summary>
public sealed class InferenceServerException(string message, Exception? inner = null) : Exception(message, inner);
