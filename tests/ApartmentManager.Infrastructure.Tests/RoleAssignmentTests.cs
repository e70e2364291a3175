namespace ApartmentManager.Infrastructure.Tests;

/// <summary>
/// Least privilege: each identity has the data-plane roles it uses, scoped to single resources, and
/// nothing that controls resources or access. Assignments are tied to their principal through the
/// principalId expression, which references the identity-bearing resource in the same template.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class RoleAssignmentTests(InfraFixture infra)
{
    private const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";
    private const string CosmosRoleAssignmentType = "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments";

    [Fact]
    public void Every_identity_has_at_least_one_role_assignment()
    {
        var identities = Identities().ToList();
        Assert.Contains(identities, i => i.Type == "Microsoft.Web/sites");
        Assert.Contains(identities, i => i.Type == "Microsoft.ManagedIdentity/userAssignedIdentities");
        Assert.Contains(identities, i => i.Type == "Microsoft.ApiManagement/service");

        foreach (var identity in identities)
        {
            Assert.True(RolesOf(identity).Count > 0, $"{identity} has an identity but no role assignment.");
        }
    }

    [Fact]
    public void Function_app_has_the_data_roles_it_uses()
    {
        var site = Assert.Single(Identities(), i => i.Type == "Microsoft.Web/sites");
        var roles = RolesOf(site);

        Assert.True(
            roles.Contains(BuiltInRoles.StorageBlobDataOwner) || roles.Contains(BuiltInRoles.StorageBlobDataContributor),
            "Functions host storage needs blob data access.");
        Assert.Contains(BuiltInRoles.StorageQueueDataContributor, roles);
        Assert.Contains(BuiltInRoles.StorageTableDataContributor, roles);
        Assert.Contains(BuiltInRoles.ServiceBusDataSender, roles);
        Assert.Contains(BuiltInRoles.ServiceBusDataReceiver, roles);
        Assert.Contains(BuiltInRoles.KeyVaultSecretsUser, roles);
        Assert.Contains(BuiltInRoles.CognitiveServicesOpenAiUser, roles);
        Assert.Contains(BuiltInRoles.CosmosDataContributor, roles);
    }

    [Fact]
    public void Service_bus_roles_are_granted_per_entity_for_every_queue_and_the_topic()
    {
        var site = Assert.Single(Identities(), i => i.Type == "Microsoft.Web/sites");
        var serviceBusAssignments = AssignmentsOf(site)
            .Where(a => a.Role is BuiltInRoles.ServiceBusDataSender or BuiltInRoles.ServiceBusDataReceiver)
            .ToList();

        Assert.All(serviceBusAssignments, a =>
        {
            var scope = a.Resource.Node["scope"]?.ToString() ?? string.Empty;
            Assert.True(
                scope.Contains("Microsoft.ServiceBus/namespaces/queues", StringComparison.Ordinal)
                || scope.Contains("Microsoft.ServiceBus/namespaces/topics", StringComparison.Ordinal),
                $"{a.Resource} is scoped to '{scope}', not to one queue or topic.");
        });

        // The queue assignments loop over the queue list, so there is one per queue.
        var queueLoops = serviceBusAssignments.Where(a => a.Resource.Node["copy"] is not null).ToList();
        Assert.Equal(2, queueLoops.Count);
        Assert.All(queueLoops, a => Assert.Contains("serviceBusQueueNames", a.Resource.Node["copy"]!["count"]!.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Cosmos_role_is_scoped_to_the_database()
    {
        var assignment = Assert.Single(infra.Main.AllResourcesOfType(CosmosRoleAssignmentType));
        Assert.Contains("/dbs/", assignment.Properties?["scope"]?.ToString(), StringComparison.Ordinal);
        Assert.Equal(BuiltInRoles.CosmosDataContributor, assignment.Template.ResolveGuid(assignment.Properties?["roleDefinitionId"]?.ToString()));
    }

    [Fact]
    public void Inference_app_pulls_its_image_with_an_identity_that_has_AcrPull()
    {
        var app = Assert.Single(infra.Main.AllResourcesOfType("Microsoft.App/containerApps"));
        var registry = Assert.Single(app.Properties!["configuration"]!["registries"]!.AsArray());
        var identityExpression = registry!["identity"]!.ToString();

        var identity = Assert.Single(
            Identities(),
            i => i.Type == "Microsoft.ManagedIdentity/userAssignedIdentities" && ReferencesResource(identityExpression, i));
        Assert.Contains(BuiltInRoles.AcrPull, RolesOf(identity));

        // The first revision pulls the image, so the app must wait for the grant.
        var dependsOn = app.Node["dependsOn"]?.AsArray().Select(d => d!.ToString()) ?? [];
        Assert.Contains(dependsOn, d => d.Contains("roleAssignments", StringComparison.Ordinal) || d == "acrPull");
    }

    [Fact]
    public void Api_management_identity_only_publishes_telemetry()
    {
        var apim = Assert.Single(Identities(), i => i.Type == "Microsoft.ApiManagement/service");
        Assert.Equal(new[] { BuiltInRoles.MonitoringMetricsPublisher }, RolesOf(apim).Order());
    }

    [Fact]
    public void No_identity_gets_a_privileged_role()
    {
        foreach (var assignment in AllAssignments())
        {
            var role = assignment.Template.ResolveGuid(assignment.Properties?["roleDefinitionId"]?.ToString());
            Assert.True(role is not null, $"{assignment}: role definition could not be resolved.");
            Assert.DoesNotContain(role, BuiltInRoles.Privileged);
        }
    }

    [Fact]
    public void Azure_role_assignments_are_scoped_to_single_resources()
    {
        // Without 'scope' an assignment applies to the whole resource group.
        foreach (var assignment in infra.Main.AllResourcesOfType(RoleAssignmentType))
        {
            Assert.False(string.IsNullOrEmpty(assignment.Node["scope"]?.ToString()), $"{assignment} has no resource scope.");
        }
    }

    [Fact]
    public void Every_role_assignment_belongs_to_a_known_identity()
    {
        var identities = Identities().ToList();
        foreach (var assignment in AllAssignments())
        {
            var principal = assignment.Properties?["principalId"]?.ToString() ?? string.Empty;
            Assert.True(
                identities.Any(i => ReferenceEquals(i.Template.Root, assignment.Template.Root) && ReferencesResource(principal, i)),
                $"{assignment}: principal '{principal}' is not an identity declared in this deployment.");
        }
    }

    private IEnumerable<ArmResource> AllAssignments() =>
        infra.Main.AllResourcesOfType(RoleAssignmentType).Concat(infra.Main.AllResourcesOfType(CosmosRoleAssignmentType));

    private IEnumerable<ArmResource> Identities() =>
        infra.Main.AllResources().Where(r =>
            r.Type.Equals("Microsoft.ManagedIdentity/userAssignedIdentities", StringComparison.OrdinalIgnoreCase)
            || (r.Node["identity"]?["type"]?.ToString() ?? string.Empty).Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase));

    private IEnumerable<(ArmResource Resource, string? Role)> AssignmentsOf(ArmResource identity) =>
        AllAssignments()
            .Where(a => ReferenceEquals(a.Template.Root, identity.Template.Root)
                && ReferencesResource(a.Properties?["principalId"]?.ToString() ?? string.Empty, identity))
            .Select(a => (a, a.Template.ResolveGuid(a.Properties?["roleDefinitionId"]?.ToString())));

    private HashSet<string> RolesOf(ArmResource identity) =>
        AssignmentsOf(identity).Select(a => a.Role).OfType<string>().ToHashSet();

    /// <summary>
    /// True when an expression points at the resource: by symbolic name (languageVersion 2.0) or,
    /// in classic templates, through resourceId() of its type.
    /// </summary>
    private static bool ReferencesResource(string expression, ArmResource resource) =>
        expression.Contains($"reference('{resource.Key}'", StringComparison.Ordinal)
        || expression.Contains($"resourceInfo('{resource.Key}')", StringComparison.Ordinal)
        || expression.Contains($"resourceId('{resource.Type}'", StringComparison.OrdinalIgnoreCase);
}
