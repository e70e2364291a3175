using System.Text.Json;
using System.Text.Json.Serialization;
using ApartmentManager.Learning.Outcomes;
using ApartmentManager.Learning.Parameters;

namespace ApartmentManager.Learning;

/// <summary>How the learning engine's records are stored and exported: camelCase, enums as snake_case strings.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(OutcomeRecord))]
[JsonSerializable(typeof(ParameterSet))]
[JsonSerializable(typeof(ActiveParameters))]
public sealed partial class LearningJson : JsonSerializerContext;
