using System.Net;
using Microsoft.Extensions.Logging;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// Source-generated log messages. The request charge is the structured field <c>RequestCharge</c> (request units)
/// so dashboards can sum it by operation; expensive operations log as warnings.
/// </summary>
internal static partial class CosmosLog
{
    [LoggerMessage(EventId = 7001, Message = "Cosmos DB {Operation} on {Container}: {StatusCode}, {RequestCharge} RU, {ElapsedMs} ms")]
    public static partial void Charged(ILogger logger, LogLevel level, string operation, string container, HttpStatusCode statusCode, double requestCharge, double elapsedMs);

    [LoggerMessage(EventId = 7002, Message = "Cosmos DB {Operation} on {Container}: {ItemCount} items in {PageCount} pages, {RequestCharge} RU, cross-partition {CrossPartition}")]
    public static partial void Queried(ILogger logger, LogLevel level, string operation, string container, int itemCount, int pageCount, double requestCharge, bool crossPartition);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Request id {RequestId} exists in {Count} partitions; returning the first")]
    public static partial void IdInSeveralPartitions(ILogger logger, string requestId, int count);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Cosmos DB container {Container} is not reachable")]
    public static partial void Unreachable(ILogger logger, string container, Exception? exception);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Cosmos DB container {Container} answered the readiness probe with {StatusCode}/{SubStatusCode}")]
    public static partial void Unanswered(ILogger logger, string container, HttpStatusCode statusCode, int subStatusCode);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Cosmos DB database {Database} and container {Container} are in place")]
    public static partial void Ensured(ILogger logger, string database, string container);
}
