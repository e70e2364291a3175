namespace ApartmentManager.Inference.Server.Batching;

/// <summary>The model's request queue is at capacity: the endpoint answers 503 with Retry-After.</summary>
public sealed class QueueFullException(string model, int capacity)
    : Exception($"The queue for model '{model}' is full ({capacity} requests waiting).")
{
    public string Model { get; } = model;
}
