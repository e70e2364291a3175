using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ApartmentManager.Application.Ports;

namespace ApartmentManager.Application.Paging;

/// <summary>
/// Keyset paging position: the (created ticks, id) of the last item returned, bound to the query's filters so a
/// token cannot be replayed against a different query. Keyset (not offset) paging returns every existing item once
/// even while new requests arrive.
/// </summary>
public readonly record struct KeysetToken(long CreatedTicks, string Id)
{
    public string Encode(RequestQuery query) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{CreatedTicks}|{Id}|{Fingerprint(query)}"));

    public static KeysetToken? Decode(RequestQuery query)
    {
        if (query.ContinuationToken is null)
        {
            return null;
        }
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(query.ContinuationToken));
        }
        catch (FormatException)
        {
            throw new InvalidContinuationTokenException("it is not base64url.");
        }
        var parts = text.Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[0], out var ticks) || parts[1].Length == 0)
        {
            throw new InvalidContinuationTokenException("it is malformed.");
        }
        if (parts[2] != Fingerprint(query))
        {
            throw new InvalidContinuationTokenException("it belongs to a query with different filters.");
        }
        return new KeysetToken(ticks, parts[1]);
    }

    private static string Fingerprint(RequestQuery q)
    {
        var filters = $"{q.ResidentId}|{q.Status}|{q.Category}|{q.Urgency}|{q.Building}|{q.Unit}|{q.CreatedFrom?.UtcTicks}|{q.CreatedTo?.UtcTicks}"
            + $"|{q.Escalated}|{q.Reopened}|{q.MinRating}|{q.MaxRating}|{q.ResolvedFrom?.UtcTicks}|{q.ResolvedTo?.UtcTicks}|{q.Unconfirmed}"
            + (q.SelectedOptionId is null ? "" : "|" + q.SelectedOptionId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(filters)))[..16];
    }
}
