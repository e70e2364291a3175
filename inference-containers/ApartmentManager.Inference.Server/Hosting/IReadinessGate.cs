namespace ApartmentManager.Inference.Server.Hosting;

/// <summary>
/// Awaited after every model is loaded and warmed up, just before the server reports ready. The default passes at
/// once; a deployment could hold readiness for an external check, and the tests use it to observe the not-ready window.
/// </summary>
public interface IReadinessGate
{
    Task WaitAsync(CancellationToken cancellationToken);
}

internal sealed class OpenReadinessGate : IReadinessGate
{
    public Task WaitAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
