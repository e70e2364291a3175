using System.Net;
using System.Text.Json.Nodes;

namespace ApartmentManager.Api.Tests;

/// <summary>A resident's message through the whole pipeline in single-node mode, over HTTP only.</summary>
public sealed class PipelineEndToEndTests(PipelineHostFixture fixture) : IClassFixture<PipelineHostFixture>
{
    private SingleNodeHost Host => fixture.Host;

    private static readonly string[] Waiting = ["awaiting_resident_choice", "awaiting_manager_approval", "executing", "in_progress",
        "awaiting_confirmation", "resolved", "escalated"];

    [Fact]
    public async Task A_leak_is_classified_scored_simulated_decided_and_resolved_with_exactly_one_work_order()
    {
        using var resident = Host.Client("res-e2e-leak");
        using var admin = Host.Admin();
        var created = await (await resident.PostAsync("/api/v1/requests",
            Json.Body(new { building = "maple-court", unit = "4B", message = "water is pouring from under my kitchen sink" }))).ReadAsync();
        var id = created["id"]!.GetValue<string>();

        var request = await Json.WaitForStatusAsync(resident, id, Waiting);

        Assert.Equal("plumbing", request["classification"]!["category"]!.GetValue<string>());
        Assert.Equal("emergency", request["classification"]!["urgency"]!.GetValue<string>()); // active flooding
        var options = request["options"]!.AsArray();
        Assert.True(options.Count >= 1);
        // The resident's view leaves out risk scores and the scoring internals; the manager's has everything.
        Assert.Null(request["risk"]);
        Assert.Empty(request["decision"]!["ranking"]!.AsArray());
        Assert.Equal(0, request["classification"]!["confidence"]!.GetValue<double>());
        var managerView = await (await admin.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
        Assert.NotNull(managerView["risk"]!["probability"]);
        var decision = managerView["decision"]!;
        Assert.True(decision["ranking"]!.AsArray().Count >= 1);
        Assert.True(decision["citations"]!.AsArray().Count >= 1, "the decision cites policy");
        Assert.Contains("risk", decision["reasoning"]!.GetValue<string>());
        Assert.DoesNotContain("risk", request["decision"]!["reasoning"]!.GetValue<string>());

        switch (request["status"]!.GetValue<string>())
        {
            case "awaiting_resident_choice":
                var choice = options[^1]!["id"]!.GetValue<string>();
                var selected = await resident.PostAsync($"/api/v1/requests/{id}/select-option", Json.Body(new { optionId = choice }));
                Assert.Equal(HttpStatusCode.OK, selected.StatusCode);
                break;
            case "awaiting_manager_approval":
                Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/requests/{id}/approve", Json.Body(new { }))).StatusCode);
                break;
        }

        // Dispatched is not resolved: the work order is open until the maintenance system reports it done.
        var resolved = await Json.WaitForStatusAsync(resident, id, ["in_progress", "escalated"]);
        Assert.Equal("in_progress", resolved["status"]!.GetValue<string>());
        var workOrders = resolved["executions"]!.AsArray().Where(e => e!["action"]!.GetValue<string>() == "create_work_order").ToList();
        Assert.Single(workOrders);
        Assert.Equal("succeeded", workOrders[0]!["status"]!.GetValue<string>());

        // The executions are visible one by one too, to the resident whose request they serve.
        var executionId = workOrders[0]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await resident.GetAsync($"/api/v1/executions/{executionId}")).StatusCode);
        using var stranger = Host.Client("res-e2e-stranger");
        var hidden = await (await stranger.GetAsync($"/api/v1/executions/{executionId}")).AssertProblemAsync(404);
        Assert.DoesNotContain(id, hidden["detail"]!.GetValue<string>()); // nothing says whose it is

        var workflow = await (await resident.GetAsync($"/api/v1/requests/{id}/workflow")).ReadAsync();
        Assert.Equal("waiting", workflow["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("WorkCompleted", workflow["awaitedEvent"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_manager_rejecting_escalates_with_the_reason_and_executes_nothing()
    {
        // A property that wants a manager to approve everything at any risk level routes this request to one.
        await using var strict = await SingleNodeHost.StartAsync(null, "--Decision:ManagerApprovalRiskLevel", "Low", "--Workflow:PollInterval", "00:00:00.100");
        using var resident = strict.Client("res-e2e-reject");
        using var admin = strict.Admin();
        var created = await (await resident.PostAsync("/api/v1/requests", Json.Body(new
        {
            building = "maple-court", unit = "9C", message = "The bathroom fan makes a rattling noise",
        }))).ReadAsync();
        var id = created["id"]!.GetValue<string>();
        var request = await Json.WaitForStatusAsync(resident, id, Waiting);
        Assert.Equal("awaiting_manager_approval", request["status"]!.GetValue<string>());

        var workflow = await (await admin.GetAsync($"/api/v1/requests/{id}/workflow")).ReadAsync();
        Assert.Equal("ManagerApproved", workflow["awaitedEvent"]!.GetValue<string>());
        Assert.NotNull(workflow["dueAt"]);
        await (await resident.PostAsync($"/api/v1/requests/{id}/reject", Json.Body(new { reason = "no" }))).AssertProblemAsync(403);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/requests/{id}/reject", Json.Body(new { reason = "duplicate of last month" }))).StatusCode);

        var escalated = await Json.WaitForStatusAsync(resident, id, ["escalated"]);
        Assert.Empty(escalated["executions"]!.AsArray());
        // The manager's reason is an internal note: in the manager's view, not the resident's, and no manager id leaks.
        Assert.DoesNotContain(escalated["history"]!.AsArray(), h => h!["detail"]?.GetValue<string>()?.Contains("duplicate of last month") == true);
        Assert.DoesNotContain(escalated["history"]!.AsArray(), h => h!["actor"]!.GetValue<string>().Contains("manager-1"));
        var managerView = await (await admin.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
        Assert.Contains(managerView["history"]!.AsArray(), h => h!["detail"]?.GetValue<string>()?.Contains("duplicate of last month") == true);
    }

    [Fact]
    public async Task Agent_endpoints_answer_for_any_authenticated_caller()
    {
        using var resident = Host.Client("res-agents");
        var classified = await (await resident.PostAsync("/api/v1/classify", Json.Body(new { text = "I smell gas in the kitchen" }))).ReadAsync();
        Assert.Equal("emergency", classified["urgency"]!.GetValue<string>());

        var batch = await (await resident.PostAsync("/api/v1/classify",
            Json.Body(new { items = new[] { new { text = "my rent charge is wrong" }, new { text = "the dryer in the laundry room is broken" } } }))).ReadAsync();
        Assert.Equal(2, batch["items"]!.AsArray().Count);
        Assert.Equal("billing", batch["items"]![0]!["category"]!.GetValue<string>());

        var tooMany = Enumerable.Range(0, 65).Select(i => new { text = $"message {i}" }).ToArray();
        await (await resident.PostAsync("/api/v1/classify", Json.Body(new { items = tooMany }))).AssertProblemAsync(400);
        await (await resident.PostAsync("/api/v1/classify", Json.Body(new { text = "" }))).AssertProblemAsync(400);

        var risk = await (await resident.PostAsync("/api/v1/predict-risk", Json.Body(new { category = "plumbing", urgency = "emergency", incidentsLast90Days = 3 }))).ReadAsync();
        Assert.InRange(risk["probability"]!.GetValue<double>(), 0, 1);
        await (await resident.PostAsync("/api/v1/predict-risk", Json.Body(new { category = "plumbingg" }))).AssertProblemAsync(400);

        var passages = await (await resident.PostAsync("/api/v1/rag/retrieve", Json.Body(new { query = "how fast must an emergency leak be handled", top = 3 }))).ReadAsync();
        Assert.InRange(passages["items"]!.AsArray().Count, 1, 3);
        Assert.NotNull(passages["items"]![0]!["documentId"]);
        var config = await (await resident.GetAsync("/api/v1/rag/config")).ReadAsync();
        Assert.True(config["documents"]!.GetValue<int>() >= 40);

        using var anonymous = Host.Client();
        await (await anonymous.PostAsync("/api/v1/classify", Json.Body(new { text = "hi" }))).AssertProblemAsync(401);
    }
}
