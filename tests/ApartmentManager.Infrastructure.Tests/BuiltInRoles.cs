namespace ApartmentManager.Infrastructure.Tests;

/// <summary>
/// Built-in role ids, written out independently of the Bicep so a typo there (a valid-looking but
/// wrong GUID) fails the tests. Source: "Azure built-in roles" in the Azure RBAC documentation.
/// </summary>
public static class BuiltInRoles
{
    public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    public const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    public const string UserAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
    public const string StorageAccountContributor = "17d1049b-9a84-46fb-8f53-869881c3d3ab";
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    public const string ServiceBusDataOwner = "090c5cfd-751d-490a-894a-3ce6f1109419";
    public const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    public const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    public const string KeyVaultAdministrator = "00482a5a-887f-4fb3-b363-3b7fe8e74483";
    public const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    public const string CognitiveServicesContributor = "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68";
    public const string CognitiveServicesOpenAiContributor = "a001fd3d-188f-4b5d-821b-7da978bf7442";
    public const string CognitiveServicesOpenAiUser = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";
    public const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    public const string AcrPush = "8311e382-0749-4cb8-b61a-304f252e45ec";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    /// <summary>Cosmos DB's own data-plane role "Cosmos DB Built-in Data Contributor".</summary>
    public const string CosmosDataContributor = "00000000-0000-0000-0000-000000000002";

    /// <summary>Roles that grant control of resources or of access: never for a workload identity.</summary>
    public static readonly IReadOnlySet<string> Privileged = new HashSet<string>
    {
        Owner, Contributor, UserAccessAdministrator, StorageAccountContributor, ServiceBusDataOwner,
        KeyVaultAdministrator, KeyVaultSecretsOfficer, CognitiveServicesContributor, CognitiveServicesOpenAiContributor, AcrPush,
    };
}
