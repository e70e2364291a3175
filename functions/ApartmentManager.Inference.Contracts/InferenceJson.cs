using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApartmentManager.Inference.Contracts;

/// <summary>The one set of serializer options both the server and the client use for the /v1 wire format.</summary>
public static class InferenceJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // Domain enums carry their own snake_case converters; this one covers DayOfWeek and friends.
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            MaxDepth = 16,
            // A missing required field (a risk row without its category) is an error, not a silent default.
            RespectRequiredConstructorParameters = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
