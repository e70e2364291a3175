using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;

namespace ApartmentManager.Application.Requests;

/// <summary>A resident's new request, as submitted (already validated).</summary>
public sealed record NewRequest(string Building, string Unit, string Message, Channel Channel);

/// <summary>The outcome of a create: the stored request and whether it was an idempotent replay.</summary>
public sealed record CreateResult(Versioned<ResidentRequest> Request, bool Replayed);

/// <summary>Field-level validation failures, keyed by JSON field name.</summary>
public sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("One or more fields are invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static void ThrowIfAny(Dictionary<string, List<string>> errors)
    {
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }
}
