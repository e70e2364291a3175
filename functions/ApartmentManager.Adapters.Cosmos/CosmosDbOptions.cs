using System.ComponentModel.DataAnnotations;
using Microsoft.Azure.Cosmos;

namespace ApartmentManager.Adapters.Cosmos;

/// <summary>
/// Where the Cosmos DB store lives (configuration section <c>CosmosDb</c>; in a Function app the identity-based
/// setting <c>CosmosDb__accountEndpoint</c> binds here too).
/// </summary>
public sealed class CosmosDbOptions
{
    public const string Section = "CosmosDb";

    /// <summary>The account's document endpoint, e.g. <c>https://my-account.documents.azure.com:443/</c>.</summary>
    [Required]
    public string AccountEndpoint { get; set; } = "";

    [Required]
    public string Database { get; set; } = "apartment-manager";

    [Required]
    public string RequestsContainer { get; set; } = "requests";

    /// <summary>The resident directory's container (partition key <c>/id</c>).</summary>
    [Required]
    public string ResidentsContainer { get; set; } = "residents";

    /// <summary>
    /// The execution log shared by every instance: one entry per idempotency key, claimed with a lease (partition key
    /// <c>/id</c>).
    /// </summary>
    [Required]
    public string ExecutionsContainer { get; set; } = "executions";

    /// <summary>
    /// Recorded domain events, webhook subscriptions and deliveries, the audit trail and the change-feed cursor
    /// (partition key <c>/pk</c>).
    /// </summary>
    [Required]
    public string PlatformContainer { get; set; } = "platform";

    /// <summary>
    /// Gateway by default: it needs only HTTPS to the account, and the Functions documentation recommends it on
    /// consumption plans, where many short-lived instances would each open Direct mode's TCP connections.
    /// </summary>
    public ConnectionMode ConnectionMode { get; set; } = ConnectionMode.Gateway;

    /// <summary>
    /// An account key, only for the local test server. Unset in Azure: the client then authenticates with
    /// <c>DefaultAzureCredential</c> (the app's managed identity), and the account has local auth disabled.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>
    /// Keeps the SDK on <see cref="AccountEndpoint"/> instead of the regional endpoints the account advertises
    /// (needed for the local test server, whose advertised addresses are not reachable).
    /// </summary>
    public bool LimitToEndpoint { get; set; }

    /// <summary>
    /// Create the database and container on start if they are missing. Off in Azure, where Bicep owns them and the
    /// app's data-plane role cannot create them anyway; on for local and test runs.
    /// </summary>
    public bool CreateIfNotExists { get; set; }

    /// <summary>An operation charging more request units than this is logged as a warning, not at debug level.</summary>
    [Range(0, double.MaxValue)]
    public double RequestChargeWarningThreshold { get; set; } = 50;
}
