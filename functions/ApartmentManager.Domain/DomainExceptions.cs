namespace ApartmentManager.Domain;

/// <summary>A rule of the domain was broken. The API reports these as 409 Conflict.</summary>
public class DomainException(string message) : Exception(message);

public sealed class InvalidTransitionException(RequestStatus from, RequestStatus to)
    : DomainException($"A request in status '{Name(from)}' cannot move to '{Name(to)}'.")
{
    public RequestStatus From { get; } = from;
    public RequestStatus To { get; } = to;

    private static string Name(RequestStatus s) => Names.Of(s);
}
