using System.Text.Json.Nodes;
using ApartmentManager.Application.Audit;
using ApartmentManager.Application.Ports;
using Microsoft.Azure.Cosmos;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>The audit trail in the <c>platform</c> container, partition <c>audit</c>; created, never replaced or deleted (erasure aside).</summary>
public sealed class CosmosAuditLog(CosmosPlatform platform) : IAuditLog
{
    public async Task AppendAsync(AuditEntry e, CancellationToken cancellationToken = default)
    {
        var document = new JsonObject
        {
            ["id"] = e.Id,
            ["pk"] = CosmosPlatform.Audit,
            ["kind"] = "audit",
            ["at"] = CosmosPlatform.Key(e.At),
            ["sortKey"] = SortKey(e),
            ["actor"] = e.Actor,
            ["action"] = e.Action,
            ["targetType"] = e.TargetType,
            ["targetId"] = e.TargetId,
            ["before"] = e.Before,
            ["after"] = e.After,
            ["correlationId"] = e.CorrelationId,
        };
        await platform.CreateAsync(document, CosmosPlatform.Audit, cancellationToken);
    }

    public async Task<Page<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var where = new List<string> { "c.kind = 'audit'" };
        var parameters = new List<(string, object)>();
        void Filter(string field, string op, object? value)
        {
            if (value is not null)
            {
                var name = "@p" + parameters.Count;
                where.Add($"c.{field} {op} {name}");
                parameters.Add((name, value));
            }
        }
        Filter("actor", "=", query.Actor);
        Filter("action", "=", query.Action);
        Filter("targetType", "=", query.TargetType);
        Filter("targetId", "=", query.TargetId);
        Filter("at", ">=", query.From is { } from ? CosmosPlatform.Key(from) : null);
        Filter("at", "<=", query.To is { } to ? CosmosPlatform.Key(to) : null);
        if (query.ContinuationToken is { } token)
        {
            Filter("sortKey", "<", IsSortKey(token) ? token : throw new InvalidContinuationTokenException("not an audit position"));
        }
        var definition = new QueryDefinition($"SELECT TOP {query.Limit + 1} * FROM c WHERE {string.Join(" AND ", where)} ORDER BY c.sortKey DESC");
        foreach (var (name, value) in parameters)
        {
            definition.WithParameter(name, value);
        }
        var found = await platform.QueryAsync(definition, CosmosPlatform.Audit, query.Limit + 1, cancellationToken);
        var items = found.Select(Read).ToList();
        string? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            next = SortKey(items[^1]);
        }
        return new Page<AuditEntry>(items, next);
    }

    private static string SortKey(AuditEntry e) => CosmosPlatform.Key(e.At) + "|" + e.Id;

    private static bool IsSortKey(string token) => token.Length is > 29 and < 200 && token[28] == '|';

    internal static AuditEntry Read(JsonObject d) => new(
        d["id"]!.GetValue<string>(), CosmosPlatform.Time(d["at"]!.GetValue<string>()), d["actor"]!.GetValue<string>(),
        d["action"]!.GetValue<string>(), d["targetType"]!.GetValue<string>(), d["targetId"]!.GetValue<string>(),
        d["before"]?.GetValue<string>(), d["after"]?.GetValue<string>(), d["correlationId"]?.GetValue<string>());
}
