using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using ApartmentManager.Domain;
using Microsoft.AspNetCore.Http;

namespace ApartmentManager.Api.Requests;

/// <summary>Turns raw bodies and query strings into validated commands, collecting every field error at once.</summary>
public static class RequestValidation
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 50;
    private const int MaxShortField = 64;

    public static NewRequest ToNewRequest(CreateRequestBody body)
    {
        var errors = new Dictionary<string, List<string>>();
        var building = Required(errors, "building", body.Building, MaxShortField);
        var unit = Required(errors, "unit", body.Unit, MaxShortField);
        if (unit is not null && UnitAddress.NormalizeUnit(unit).Length == 0)
        {
            Add(errors, "unit", "unit needs at least one letter or digit.");
        }
        var message = body.Message?.Trim();
        if (string.IsNullOrEmpty(message))
        {
            Add(errors, "message", "A message is required.");
        }
        else if (message.Length > ResidentRequest.MaxMessageLength)
        {
            Add(errors, "message", $"A message has at most {ResidentRequest.MaxMessageLength} characters (got {message.Length}).");
        }
        var channel = Channel.Web;
        if (body.Channel is not null && !Names.TryParse(body.Channel, out channel))
        {
            Add(errors, "channel", $"Channel must be one of {string.Join(", ", Names.All<Channel>())}.");
        }
        ValidationFailedException.ThrowIfAny(errors);
        return new NewRequest(building!, unit!, message!, channel);
    }

    public static (RequestStatus Status, string? Note) ToStatusChange(StatusChangeBody body)
    {
        var errors = new Dictionary<string, List<string>>();
        if (!Names.TryParse<RequestStatus>(body.Status, out var status))
        {
            Add(errors, "status", $"Status must be one of {string.Join(", ", Names.All<RequestStatus>())}.");
        }
        if (body.Note is { Length: > 1000 })
        {
            Add(errors, "note", "A note has at most 1000 characters.");
        }
        ValidationFailedException.ThrowIfAny(errors);
        return (status, body.Note);
    }

    public static string ToOptionId(SelectOptionBody body)
    {
        var errors = new Dictionary<string, List<string>>();
        var id = Required(errors, "optionId", body.OptionId, 128);
        ValidationFailedException.ThrowIfAny(errors);
        return id!;
    }

    public static (string Outcome, int? Rating) ToResolution(ResolveBody body)
    {
        var errors = new Dictionary<string, List<string>>();
        var outcome = Required(errors, "outcome", body.Outcome, 2000);
        if (body.Rating is < 1 or > 5)
        {
            Add(errors, "rating", "A rating is a whole number from 1 to 5.");
        }
        ValidationFailedException.ThrowIfAny(errors);
        return (outcome!, body.Rating);
    }

    /// <summary>Reads list filters and paging from the query string (names: status, category, urgency, building,
    /// unit, createdFrom/created-from, createdTo/created-to, limit, continuationToken) and the outcome filters (escalated,
    /// reopened, unconfirmed: true or false; minRating, maxRating: 1–5; resolvedFrom, resolvedTo: ISO-8601 times).</summary>
    public static RequestQuery ToQuery(IQueryCollection q)
    {
        var errors = new Dictionary<string, List<string>>();
        var query = new RequestQuery
        {
            Status = Enum<RequestStatus>(errors, q, "status"),
            Category = Enum<Category>(errors, q, "category"),
            Urgency = Enum<Urgency>(errors, q, "urgency"),
            Building = Text(q, "building"),
            Unit = Text(q, "unit"),
            CreatedFrom = Time(errors, q, "createdFrom", "created-from"),
            CreatedTo = Time(errors, q, "createdTo", "created-to"),
            Escalated = Flag(errors, q, "escalated"),
            Reopened = Flag(errors, q, "reopened"),
            Unconfirmed = Flag(errors, q, "unconfirmed"),
            MinRating = Rating(errors, q, "minRating"),
            MaxRating = Rating(errors, q, "maxRating"),
            ResolvedFrom = Time(errors, q, "resolvedFrom", "resolved-from"),
            ResolvedTo = Time(errors, q, "resolvedTo", "resolved-to"),
            ContinuationToken = Text(q, "continuationToken"),
            Limit = DefaultLimit,
        };
        if (Text(q, "limit") is { } limitText)
        {
            if (int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit)
                && limit is >= 1 and <= MaxLimit)
            {
                query = query with { Limit = limit };
            }
            else
            {
                Add(errors, "limit", $"limit is a whole number from 1 to {MaxLimit}.");
            }
        }
        if (query.CreatedFrom > query.CreatedTo)
        {
            Add(errors, "createdFrom", "createdFrom is after createdTo.");
        }
        if (query.MinRating > query.MaxRating)
        {
            Add(errors, "minRating", "minRating is above maxRating.");
        }
        if (query.ResolvedFrom > query.ResolvedTo)
        {
            Add(errors, "resolvedFrom", "resolvedFrom is after resolvedTo.");
        }
        if (query.ContinuationToken is { Length: > 512 })
        {
            Add(errors, "continuationToken", "The continuation token is too long to be one this API issued.");
        }
        ValidationFailedException.ThrowIfAny(errors);
        return query;
    }

    internal static string? Text(IQueryCollection q, string name) =>
        q.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;

    private static TEnum? Enum<TEnum>(Dictionary<string, List<string>> errors, IQueryCollection q, string name) where TEnum : struct, System.Enum
    {
        if (Text(q, name) is not { } text)
        {
            return null;
        }
        if (Names.TryParse<TEnum>(text, out var value))
        {
            return value;
        }
        Add(errors, name, $"{name} must be one of {string.Join(", ", Names.All<TEnum>())}.");
        return null;
    }

    private static bool? Flag(Dictionary<string, List<string>> errors, IQueryCollection q, string name)
    {
        if (Text(q, name) is not { } text)
        {
            return null;
        }
        if (bool.TryParse(text, out var value))
        {
            return value;
        }
        Add(errors, name, $"{name} is true or false.");
        return null;
    }

    private static int? Rating(Dictionary<string, List<string>> errors, IQueryCollection q, string name)
    {
        if (Text(q, name) is not { } text)
        {
            return null;
        }
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value is >= 1 and <= 5)
        {
            return value;
        }
        Add(errors, name, $"{name} is a whole number from 1 to 5.");
        return null;
    }

    internal static DateTimeOffset? Time(Dictionary<string, List<string>> errors, IQueryCollection q, string name, string alias)
    {
        if ((Text(q, name) ?? Text(q, alias)) is not { } text)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }
        Add(errors, name, $"{name} must be an ISO-8601 time, e.g. 2026-11-01T00:00:00Z.");
        return null;
    }

    private static string? Required(Dictionary<string, List<string>> errors, string name, string? value, int max) =>
        Text(errors, name, value, max, required: true);

    /// <summary>A trimmed text field: required or optional, at most <paramref name="max"/> characters, no control characters.</summary>
    internal static string? Text(Dictionary<string, List<string>> errors, string name, string? value, int max, bool required)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required)
            {
                Add(errors, name, $"{name} is required.");
            }
            return null;
        }
        if (trimmed.Length > max)
        {
            Add(errors, name, $"{name} has at most {max} characters.");
            return null;
        }
        if (trimmed.Any(char.IsControl))
        {
            Add(errors, name, $"{name} must not contain control characters.");
            return null;
        }
        return trimmed;
    }

    internal static void Add(Dictionary<string, List<string>> errors, string name, string message)
    {
        if (!errors.TryGetValue(name, out var list))
        {
            errors[name] = list = [];
        }
        list.Add(message);
    }
}
