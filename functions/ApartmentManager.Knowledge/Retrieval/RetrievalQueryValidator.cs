using ApartmentManager.Application.Ports;

namespace ApartmentManager.Knowledge.Retrieval;

/// <summary>
/// Checks a query before retrieval. Returns errors keyed by camelCase field name, ready for a
/// <c>ValidationProblem</c> (400) response; empty when the query is fine.
/// </summary>
public static class RetrievalQueryValidator
{
    public static IDictionary<string, string[]> Validate(RetrievalQuery? query, RetrieverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (query is null)
        {
            errors["body"] = ["A query is required."];
            return errors;
        }

        if (string.IsNullOrWhiteSpace(query.Text))
        {
            errors["text"] = ["Text is required."];
        }
        else if (query.Text.Length > options.MaxQueryLength)
        {
            errors["text"] = [$"Text must be at most {options.MaxQueryLength} characters."];
        }

        if (query.Top < 0 || query.Top > options.MaxTop)
        {
            errors["top"] = [$"Top must be between 1 and {options.MaxTop} (0 or absent means {options.DefaultTop})."];
        }

        if (query.Tags is { } tags)
        {
            if (tags.Count > options.MaxTags)
            {
                errors["tags"] = [$"At most {options.MaxTags} tags are allowed."];
            }
            else if (tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 64))
            {
                errors["tags"] = ["Tags must be non-empty and at most 64 characters."];
            }
        }

        return errors;
    }
}
