using System.Text.Json;
using System.Text.Json.Serialization;
using ApartmentManager.Domain;

namespace ApartmentManager.Application.Serialization;

/// <summary>
/// The stored form of a request and of a resident's directory entry (the same JSON document in SQLite and Cosmos DB). Source-generated so storage never
/// pays for reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ResidentRequest))]
[JsonSerializable(typeof(ApartmentManager.Application.Ports.ResidentEntry))]
public sealed partial class StoreJsonContext : JsonSerializerContext;
