using System.Text.Json;
using System.Text.Json.Serialization;
using ApartmentManager.Api.Agents;
using ApartmentManager.Api.Messaging;
using ApartmentManager.Application.Ports;
using ApartmentManager.Api.Requests;
using ApartmentManager.Domain;

namespace ApartmentManager.Api.Http;

/// <summary>Every type the API reads or writes, source-generated: camelCase, enums as snake_case strings, UTC "Z" times.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = [typeof(UtcDateTimeOffsetConverter)])]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(ApartmentManager.Learning.LearningRunResult))]
[JsonSerializable(typeof(ApartmentManager.Learning.LearningOverview))]
[JsonSerializable(typeof(ApartmentManager.Learning.Parameters.ActiveParameters))]
[JsonSerializable(typeof(ApartmentManager.Api.Residents.ResidentBody))]
[JsonSerializable(typeof(ApartmentManager.Application.Ports.ResidentEntry))]
[JsonSerializable(typeof(CreateRequestBody))]
[JsonSerializable(typeof(StatusChangeBody))]
[JsonSerializable(typeof(SelectOptionBody))]
[JsonSerializable(typeof(ResolveBody))]
[JsonSerializable(typeof(ReplyBody))]
[JsonSerializable(typeof(CompleteBody))]
[JsonSerializable(typeof(FindingBody))]
[JsonSerializable(typeof(WorkOrderEventBody))]
[JsonSerializable(typeof(WorkOrderEventAnswer))]
[JsonSerializable(typeof(RequestResource))]
[JsonSerializable(typeof(RequestList))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ApproveBody))]
[JsonSerializable(typeof(ReasonBody))]
[JsonSerializable(typeof(WorkflowView))]
[JsonSerializable(typeof(ClassifyBody))]
[JsonSerializable(typeof(RiskBody))]
[JsonSerializable(typeof(RetrieveBody))]
[JsonSerializable(typeof(SimulateBody))]
[JsonSerializable(typeof(DecideBody))]
[JsonSerializable(typeof(ExecuteBody))]
[JsonSerializable(typeof(NotifyBody))]
[JsonSerializable(typeof(Classification))]
[JsonSerializable(typeof(Batch<Classification>))]
[JsonSerializable(typeof(RiskAssessment))]
[JsonSerializable(typeof(Batch<RiskAssessment>))]
[JsonSerializable(typeof(Batch<RetrievedPassage>))]
[JsonSerializable(typeof(ApartmentManager.Knowledge.Retrieval.KnowledgeConfig))]
[JsonSerializable(typeof(SimulationAnswer))]
[JsonSerializable(typeof(Decision))]
[JsonSerializable(typeof(ExecutionAnswer))]
[JsonSerializable(typeof(ExecutionRecord))]
[JsonSerializable(typeof(IntakeMessage))]
[JsonSerializable(typeof(ExecutionCommand))]
[JsonSerializable(typeof(EnqueuedAnswer))]
[JsonSerializable(typeof(RedriveBody))]
[JsonSerializable(typeof(RedriveAnswer))]
[JsonSerializable(typeof(IReadOnlyList<QueueDepth>))]
[JsonSerializable(typeof(IReadOnlyList<QueuedMessage>))]
[JsonSerializable(typeof(ApartmentManager.Api.Platform.CreateWebhookBody))]
[JsonSerializable(typeof(ApartmentManager.Api.Platform.WebhookResource))]
[JsonSerializable(typeof(ApartmentManager.Api.Platform.WebhookList))]
[JsonSerializable(typeof(ApartmentManager.Api.Platform.DeliveryList))]
[JsonSerializable(typeof(ApartmentManager.Api.Platform.AuditList))]
[JsonSerializable(typeof(ApartmentManager.Application.Webhooks.WebhookDelivery))]
[JsonSerializable(typeof(ApartmentManager.Application.Privacy.ResidentExport))]
[JsonSerializable(typeof(ApartmentManager.Application.Privacy.ErasureResult))]
[JsonSerializable(typeof(ApartmentManager.Application.Usage.UsageReport))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>Writes times as ISO-8601 in UTC with a "Z" suffix, whatever offset they carry.</summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
}

public sealed record HealthReport(string Status, string? Detail = null);
