using System.Collections.ObjectModel;
using Microsoft.Azure.Cosmos;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// The <c>requests</c> container as the adapter needs it. Used by create-if-not-exists (local and test runs); the
/// Bicep module must declare the same partition key and indexes for Azure.
/// </summary>
public static class RequestsContainerDefinition
{
    /// <summary>Top-level paths that queries filter or sort on; everything else (message, pipeline outputs, history) is not indexed, so write charges stay flat as documents grow.</summary>
    public static readonly IReadOnlyList<string> IndexedPaths =
    [
        "/residentId/?", "/status/?", "/building/?", "/unit/?",
        $"/{RequestDocument.Category}/?", $"/{RequestDocument.Urgency}/?", $"/{RequestDocument.CreatedKey}/?",
    ];

    public static ContainerProperties Create(string name)
    {
        var properties = new ContainerProperties(name, RequestDocument.PartitionKeyPath)
        {
            IndexingPolicy = new IndexingPolicy { IndexingMode = IndexingMode.Consistent, Automatic = true },
        };
        foreach (var path in IndexedPaths)
        {
            properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = path });
        }
        properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        // Listings sort by (createdKey desc, id desc); a multi-property ORDER BY needs this composite index.
        properties.IndexingPolicy.CompositeIndexes.Add(new Collection<CompositePath>
        {
            new() { Path = $"/{RequestDocument.CreatedKey}", Order = CompositePathSortOrder.Descending },
            new() { Path = "/id", Order = CompositePathSortOrder.Descending },
        });
        return properties;
    }
}
