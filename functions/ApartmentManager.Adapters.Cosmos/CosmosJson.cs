using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ApartmentManager.Application.Serialization;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// The System.Text.Json settings the Cosmos client serializes with (query parameters, typed items and results), in
/// place of the SDK's default Newtonsoft.Json: the same web defaults as the stored request documents.
/// </summary>
public static class CosmosJson
{
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Source-generated contracts first; reflection only for types other code brings to the shared client.
        TypeInfoResolver = JsonTypeInfoResolver.Combine(StoreJsonContext.Default, CosmosJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };
}

/// <summary>The scalar types this adapter passes as query parameters or reads as query values.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CosmosJsonContext : JsonSerializerContext;
