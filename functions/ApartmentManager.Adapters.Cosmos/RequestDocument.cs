using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApartmentManager.Application.Serialization;
using ApartmentManager.Domain;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// The stored document: the request exactly as <see cref="StoreJsonContext"/> writes it (the same JSON as in
/// SQLite, history included, so one write changes the request and its history together), plus top-level copies of
/// the fields that queries filter and sort on but that are nested or unsortable in the request itself.
/// </summary>
public static class RequestDocument
{
    /// <summary>The partition key path; the request's own <c>residentId</c> property.</summary>
    public const string PartitionKeyPath = "/residentId";

    /// <summary>
    /// Creation time as a fixed-width UTC string (<c>2026-11-01T08:00:00.0000000Z</c>), whose ordinal order is time
    /// order. Not ticks as a number: Cosmos DB keeps numbers as IEEE doubles, and today's tick counts (~6.4e17)
    /// exceed 2^53, so two requests 100 ns apart would sort as equal. Not <c>createdAt</c>: its offset and trimmed
    /// fraction make its text order differ from time order.
    /// </summary>
    public const string CreatedKey = "createdKey";

    /// <summary>The classification's category and urgency (snake_case), null until classified.</summary>
    public const string Category = "category";

    public const string Urgency = "urgency";

    /// <summary>
    /// Copies of the outcome fields the list filters read (<see cref="RequestOutcome"/>): whether it escalated, how
    /// often it was reopened, the rating, the resolution time (fixed-width UTC, like <see cref="CreatedKey"/>) and
    /// whether it was resolved unconfirmed. Written with every change of the request.
    /// </summary>
    public const string Escalated = "outcomeEscalated";

    public const string ReopenCount = "outcomeReopenCount";

    public const string Rating = "outcomeRating";

    public const string ResolvedKey = "outcomeResolvedKey";

    public const string Unconfirmed = "outcomeUnconfirmed";

    private const string CreatedKeyFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string CreatedKeyOf(long utcTicks) =>
        new DateTime(utcTicks, DateTimeKind.Utc).ToString(CreatedKeyFormat, CultureInfo.InvariantCulture);

    public static string CreatedKeyOf(DateTimeOffset at) => CreatedKeyOf(at.UtcTicks);

    public static MemoryStream Write(ResidentRequest request)
    {
        var document = JsonSerializer.SerializeToNode(request, StoreJsonContext.Default.ResidentRequest)!.AsObject();
        document[CreatedKey] = CreatedKeyOf(request.CreatedAt);
        document[Category] = request.Classification is { } c ? Names.Of(c.Category) : null;
        document[Urgency] = request.Classification is { } u ? Names.Of(u.Urgency) : null;
        var outcome = request.Outcome;
        document[Escalated] = outcome.Escalated;
        document[ReopenCount] = outcome.ReopenCount;
        document[Rating] = outcome.Rating;
        document[ResolvedKey] = outcome.ResolvedAt is { } resolved ? CreatedKeyOf(resolved) : null;
        document[Unconfirmed] = outcome.Unconfirmed;

        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            document.WriteTo(writer);
        }
        stream.Position = 0;
        return stream;
    }

    /// <summary>Reads a stored document; the extra fields and Cosmos DB's system properties are ignored.</summary>
    public static ResidentRequest Read(JsonElement document) =>
        document.Deserialize(StoreJsonContext.Default.ResidentRequest)
        ?? throw new InvalidDataException("A stored request document is empty.");

    /// <summary>The document's <c>_etag</c> system property.</summary>
    public static string ETagOf(JsonElement document) =>
        document.TryGetProperty("_etag", out var etag) && etag.GetString() is { Length: > 0 } value
            ? value
            : throw new InvalidDataException("A stored request document has no _etag.");
}
