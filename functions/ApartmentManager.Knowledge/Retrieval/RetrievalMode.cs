using System.Text.Json.Serialization;
using ApartmentManager.Domain;

namespace ApartmentManager.Knowledge.Retrieval;

/// <summary>Which ranked list answers a query. Production uses <see cref="Hybrid"/>; the others exist for evaluation.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RetrievalMode>))]
public enum RetrievalMode
{
    Bm25,
    Dense,
    Hybrid,
}
