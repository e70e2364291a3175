using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ApartmentManager.Api.Http;

/// <summary>The outcome of reading a JSON body: a value, or the problem to answer with.</summary>
public readonly record struct BodyResult<T>(T? Value, IResult? Problem) where T : class;

/// <summary>
/// Reads a JSON request body with the API's rules, identically in every host: JSON content type (415), at most
/// 64 KB (413), well-formed JSON of the expected shape (400). Unknown fields are ignored.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<BodyResult<T>> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, CancellationToken ct)
        where T : class
    {
        var request = context.Request;
        if (!IsJson(request.ContentType))
        {
            return new(null, Problems.Create(context, 415,
                $"Send the body as JSON with Content-Type: application/json (got '{(string.IsNullOrEmpty(request.ContentType) ? "none" : request.ContentType)}').",
                "unsupported-media-type"));
        }
        if (request.ContentLength > MaxBytes)
        {
            return new(null, TooLarge(context));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            var length = 0;
            int read;
            // Read one byte past the limit: a chunked body that does not declare its length is caught here.
            while (length <= MaxBytes && (read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBytes + 1 - length), ct)) > 0)
            {
                length += read;
            }
            if (length > MaxBytes)
            {
                return new(null, TooLarge(context));
            }
            if (length == 0)
            {
                return new(null, Problems.Create(context, 400, "The request body is empty; send a JSON object.", "malformed-json"));
            }
            try
            {
                var value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), typeInfo);
                return value is null
                    ? new(null, Problems.Create(context, 400, "The request body must be a JSON object, not null.", "malformed-json"))
                    : new(value, null);
            }
            catch (JsonException e)
            {
                var where = e.Path is { Length: > 1 } path ? $" at '{path}'" : "";
                return new(null, Problems.Create(context, 400,
                    $"The request body is not valid JSON of the expected shape{where}: {FirstSentence(e.Message)}", "malformed-json"));
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(null, TooLarge(context));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Like <see cref="ReadAsync{T}"/>, but an absent body (no content at all) means <paramref name="empty"/>.</summary>
    public static Task<BodyResult<T>> ReadOptionalAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, T empty, CancellationToken ct)
        where T : class =>
        context.Request.ContentLength == 0 || (context.Request.ContentLength is null && string.IsNullOrEmpty(context.Request.ContentType)
            && !context.Request.Headers.TransferEncoding.Any())
            ? Task.FromResult(new BodyResult<T>(empty, null))
            : ReadAsync(context, typeInfo, ct);

    private static IResult TooLarge(HttpContext context) =>
        Problems.Create(context, 413, $"The request body is larger than the {MaxBytes / 1024} KB limit.", "payload-too-large");

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ?? false));

    // System.Text.Json messages end with a long hint about paths and line numbers; keep the useful part.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
