using System.Text.Json.Nodes;

namespace ApartmentManager.Infrastructure.Tests;

/// <summary>Service Bus entities and the Cosmos DB containers the application expects.</summary>
[Collection(InfraCollection.Name)]
public sealed class MessagingAndDataTests(InfraFixture infra)
{
    [Fact]
    public void Queues_exist_with_dead_lettering_delivery_limit_and_duplicate_detection()
    {
        Assert.Equal(["requests-intake", "executions"], Strings(infra.Main.Variables["serviceBusQueues"]));
        Assert.Equal("[variables('serviceBusQueues')]", ModuleParameterText("serviceBus", "queueNames"));

        var queue = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.ServiceBus/namespaces/queues"));
        Assert.Contains("queueNames", queue.Node["copy"]?["input"]?.ToString() ?? queue.Node["copy"]?["count"]?.ToString(), StringComparison.Ordinal);
        var properties = queue.Properties!;
        Assert.True(properties["deadLetteringOnMessageExpiration"]?.GetValue<bool>());
        Assert.True(properties["requiresDuplicateDetection"]?.GetValue<bool>());
        Assert.NotNull(properties["duplicateDetectionHistoryTimeWindow"]);
        Assert.True(queue.Template.LowerBound(properties["maxDeliveryCount"]) >= 1);
    }

    [Fact]
    public void Request_events_topic_has_the_three_subscriptions()
    {
        Assert.Equal("request-events", infra.Main.Variables["serviceBusTopic"]?.ToString());
        Assert.Equal(["notifications", "webhooks", "analytics"], Strings(infra.Main.Variables["serviceBusSubscriptions"]));
        Assert.Equal("[variables('serviceBusSubscriptions')]", ModuleParameterText("serviceBus", "subscriptionNames"));

        var topic = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.ServiceBus/namespaces/topics"));
        Assert.True(topic.Properties?["requiresDuplicateDetection"]?.GetValue<bool>());

        var subscription = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.ServiceBus/namespaces/topics/subscriptions"));
        Assert.True(subscription.Properties?["deadLetteringOnMessageExpiration"]?.GetValue<bool>());
        Assert.True(subscription.Template.LowerBound(subscription.Properties?["maxDeliveryCount"]) >= 1);
    }

    [Fact]
    public void Service_bus_tier_supports_topics_and_duplicate_detection()
    {
        foreach (var (file, values) in infra.ParameterValues)
        {
            Assert.Contains(values["serviceBusSku"]?["value"]?.ToString(), new[] { "Standard", "Premium" });
        }
    }

    [Fact]
    public void Requests_container_is_partitioned_by_resident_with_the_keyset_composite_index()
    {
        var containers = infra.Main.AllResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers").ToList();
        var requests = Assert.Single(containers, c => c.Properties?["resource"]?["id"]?.ToString() == "requests");
        var resource = requests.Properties!["resource"]!;

        Assert.Equal(["/residentId"], Strings(resource["partitionKey"]?["paths"]));
        var composites = resource["indexingPolicy"]!["compositeIndexes"]!.AsArray()
            .Select(index => string.Join(",", index!.AsArray().Select(p => $"{p!["path"]} {p["order"]}")))
            .ToList();
        Assert.Contains("/createdKey descending,/id descending", composites);
    }

    [Fact]
    public void Leases_container_exists_for_the_change_feed()
    {
        var containers = infra.Main.AllResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
        var leases = Assert.Single(containers, c => c.Properties?["resource"]?["id"]?.ToString() == "leases");
        Assert.Equal(["/id"], Strings(leases.Properties!["resource"]!["partitionKey"]?["paths"]));
    }

    [Fact]
    public void Executions_container_is_partitioned_by_execution_id_and_the_app_uses_it()
    {
        // The Cosmos execution log claims, takes over and completes one document per idempotency key by its id.
        var containers = infra.Main.AllResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
        var executions = Assert.Single(containers, c => c.Properties?["resource"]?["id"]?.ToString() == "executions");
        Assert.Equal(["/id"], Strings(executions.Properties!["resource"]!["partitionKey"]?["paths"]));

        var site = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.Web/sites"));
        var settings = site.Properties!["siteConfig"]!["appSettings"]!.AsArray();
        Assert.Contains(settings, s => s!["name"]?.ToString() == "CosmosDb__ExecutionsContainer" && s["value"]?.ToString() == "executions");
    }

    [Fact]
    public void Deployment_outputs_name_the_gateway_function_app_and_inference_fqdn()
    {
        var outputs = infra.Main.Outputs;
        Assert.Contains("gatewayUrl", outputs["API_GATEWAY_URL"]?["value"]?.ToString(), StringComparison.Ordinal);
        Assert.Contains("functions", outputs["FUNCTION_APP_NAME"]?["value"]?.ToString(), StringComparison.Ordinal);
        Assert.Contains("fqdn", outputs["INFERENCE_APP_FQDN"]?["value"]?.ToString(), StringComparison.Ordinal);
    }

    private static List<string> Strings(JsonNode? node) =>
        node?.AsArray().Select(n => n!.ToString()).ToList() ?? [];

    private string? ModuleParameterText(string module, string parameter)
    {
        var deployment = Assert.Single(infra.Main.Resources, r => r.Key == module);
        return deployment.Properties?["parameters"]?[parameter]?["value"]?.ToString();
    }
}
