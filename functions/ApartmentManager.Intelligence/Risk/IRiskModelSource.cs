namespace ApartmentManager.Intelligence.Risk;

/// <summary>
/// Where the risk step finds a risk model retrained from outcomes (the learning engine's active parameter set); null
/// means the configured model.
/// </summary>
public interface IRiskModelSource
{
    ValueTask<IRiskPredictor?> GetActiveAsync(CancellationToken cancellationToken = default);
}
