namespace ApartmentManager.Application.Requests;

/// <summary>The request does not exist, or the caller may not know that it does (so ids never leak).</summary>
public sealed class RequestNotFoundException(string id) : Exception($"No request '{id}' was found.")
{
    public string RequestId { get; } = id;
}

/// <summary>The same Idempotency-Key was used before with a different body.</summary>
public sealed class IdempotencyKeyReusedException(string key)
    : Exception($"The Idempotency-Key '{key}' was already used for a different request body. Use a new key for a new request.");

/// <summary>The caller is authenticated but lacks the role the operation needs.</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>A conditional update needs If-Match and none was sent.</summary>
public sealed class PreconditionRequiredException()
    : Exception("This operation changes a request and needs an If-Match header with the ETag you last read.");
