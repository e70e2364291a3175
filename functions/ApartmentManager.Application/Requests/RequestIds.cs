using System.Security.Cryptography;
using System.Text;

namespace ApartmentManager.Application.Requests;

/// <summary>
/// Request ids. With an Idempotency-Key the id is derived from (resident, key), so a retried create collides with
/// the first one in the store itself — one atomic single-document write decides, in SQLite and in Cosmos DB alike.
/// </summary>
public static class RequestIds
{
    public static string New() => "req_" + Guid.CreateVersion7().ToString("N");

    public static string FromIdempotencyKey(string residentId, string idempotencyKey) =>
        "req_" + Hash($"{residentId}\n{idempotencyKey}")[..32];

    /// <summary>Fingerprint of what a create asked for; a replay must match it exactly.</summary>
    public static string ContentHash(NewRequest request) =>
        Hash($"{request.Building}\n{request.Unit}\n{request.Channel}\n{request.Message}");

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
