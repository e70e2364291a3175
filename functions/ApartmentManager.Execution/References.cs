using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApartmentManager.Execution;

/// <summary>Deterministic ids derived from idempotency keys: the same action always gets the same id.</summary>
public static class References
{
    public static string For(string prefix, string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey), hash);
        return prefix + "-" + Convert.ToHexStringLower(hash[..10]);
    }

    /// <summary>The idempotency key of a request's step: the unit of "exactly once".</summary>
    public static string IdempotencyKey(string requestId, string step) => $"{requestId}:{step}";

    /// <summary>The execution id that <c>GET /api/v1/executions/{id}</c> looks up.</summary>
    public static string ExecutionId(string idempotencyKey) => For("exe", idempotencyKey);
}

internal static class ExecutionJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
