using Azure.Core;
using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>Builds the one <see cref="CosmosClient"/> a process should hold (it pools connections and caches routing).</summary>
public static class CosmosClientFactory
{
    /// <summary>
    /// With <see cref="CosmosDbOptions.Key"/> set (the local test server) the client signs with that key; otherwise it
    /// authenticates with Entra ID through <paramref name="credential"/>, by default <see cref="DefaultAzureCredential"/>
    /// (managed identity in Azure, developer sign-in locally).
    /// </summary>
    public static CosmosClient Create(CosmosDbOptions options, TokenCredential? credential = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.AccountEndpoint, nameof(options));
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "apartment-manager",
            ConnectionMode = options.ConnectionMode,
            LimitToEndpoint = options.LimitToEndpoint,
            UseSystemTextJsonSerializerWithOptions = CosmosJson.SerializerOptions,
            EnableContentResponseOnWrite = false,
        };
        return string.IsNullOrWhiteSpace(options.Key)
            ? new CosmosClient(options.AccountEndpoint, credential ?? new DefaultAzureCredential(), clientOptions)
            : new CosmosClient(options.AccountEndpoint, options.Key, clientOptions);
    }
}
