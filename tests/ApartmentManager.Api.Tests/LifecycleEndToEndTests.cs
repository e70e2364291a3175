using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ApartmentManager.Execution.Webhooks;
using ApartmentManager.Intelligence.Risk;

namespace ApartmentManager.Api.Tests;

/// <summary>
/// The request's life after execution and before triage, through the real single-node host over HTTP: open work, the
/// maintenance system's signed webhook, confirmation, reopening, the timers, and a clarifying question.
/// </summary>
public sealed class LifecycleEndToEndTests
{
    private const string Leak = "water is pouring from under my kitchen sink";

    private static readonly string HookSecret = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    private static Task<SingleNodeHost> StartAsync(params string[] args) =>
        SingleNodeHost.StartAsync(null, ["--Workflow:PollInterval", "00:00:00.100", "--Hooks:WorkOrders:SigningSecret", HookSecret, .. args]);

    [Fact]
    public async Task An_emergency_is_dispatched_worked_completed_by_the_webhook_and_confirmed_by_the_resident()
    {
        await using var host = await StartAsync();
        using var resident = host.Client("res-life-1");
        using var anonymous = host.Client();
        var id = await CreateAsync(resident, Leak);

        var inProgress = await WaitForStatusAsync(resident, id, "in_progress");
        var work = inProgress["work"]![0]!;
        Assert.Equal("work_order", work["kind"]!.GetValue<string>());
        Assert.Equal("scheduled", work["state"]!.GetValue<string>());
        Assert.NotNull(work["onSiteDueAt"]); // an emergency: the on-site SLA runs
        Assert.NotNull(inProgress["outcome"]!["dispatchedAt"]);
        var workflow = await (await resident.GetAsync($"/api/v1/requests/{id}/workflow")).ReadAsync();
        Assert.Equal("WorkCompleted", workflow["awaitedEvent"]!.GetValue<string>());

        // Unsigned, wrongly signed and stale reports are refused; nothing changes.
        var onSite = Event("evt-1", id, "on_site");
        await (await anonymous.PostAsync("/api/v1/hooks/work-orders", Json.Body(onSite))).AssertProblemAsync(401);
        await (await PostHookAsync(anonymous, onSite, secret: "not-the-secret")).AssertProblemAsync(401);
        await (await PostHookAsync(anonymous, onSite, at: DateTimeOffset.UtcNow.AddMinutes(-30))).AssertProblemAsync(401);
        await (await PostHookAsync(anonymous, Event("evt-x", id, "exploded"))).AssertProblemAsync(400);
        await (await PostHookAsync(anonymous, Event("evt-y", "req_does_not_exist", "on_site"))).AssertProblemAsync(404);

        var arrived = await (await PostHookAsync(anonymous, onSite)).ReadAsync();
        Assert.Equal("on_site", arrived["workState"]!.GetValue<string>());
        Assert.False(arrived["duplicate"]!.GetValue<bool>());

        var completed = Event("evt-2", id, "completed", actualCost: 240.50m, note: "replaced the supply line");
        var done = await (await PostHookAsync(anonymous, completed)).ReadAsync();
        Assert.Equal("awaiting_confirmation", done["status"]!.GetValue<string>());
        var replay = await (await PostHookAsync(anonymous, completed)).ReadAsync();
        Assert.True(replay["duplicate"]!.GetValue<bool>()); // the same event id twice counts once

        await WaitForAwaitedEventAsync(resident, id, "ResidentConfirmed");
        await (await resident.PostAsync($"/api/v1/requests/{id}/resolve", Json.Body(new { outcome = "fixed" }))).AssertProblemAsync(400);
        var confirmed = await (await resident.PostAsync($"/api/v1/requests/{id}/resolve", Json.Body(new { outcome = "all dry now", rating = 5 }))).ReadAsync();
        Assert.Equal("resolved", confirmed["status"]!.GetValue<string>());

        var outcome = confirmed["outcome"]!;
        Assert.Equal(5, outcome["rating"]!.GetValue<int>());
        Assert.Equal(240.50m, outcome["actualCost"]!.GetValue<decimal>());
        Assert.Equal(0, outcome["reopenCount"]!.GetValue<int>());
        Assert.False(outcome["escalated"]!.GetValue<bool>());
        Assert.False(outcome["unconfirmed"]!.GetValue<bool>());
        foreach (var stage in new[] { "filedAt", "decidedAt", "dispatchedAt", "onSiteAt", "completedAt", "confirmedAt", "resolvedAt" })
        {
            Assert.NotNull(outcome[stage]);
        }
        Assert.Equal(["scheduled", "on_site", "completed"], confirmed["work"]![0]!["updates"]!.AsArray().Select(u => u!["state"]!.GetValue<string>()));
        await WaitForRuntimeAsync(resident, id, "completed");

        // Managers filter the list on the outcome.
        using var admin = host.Admin();
        var since = Uri.EscapeDataString(outcome["filedAt"]!.GetValue<string>());
        Assert.Equal([id], await ListAsync(admin, $"escalated=false&reopened=false&unconfirmed=false&minRating=5&resolvedFrom={since}"));
        Assert.Empty(await ListAsync(admin, "maxRating=4"));
        Assert.Empty(await ListAsync(admin, "escalated=true"));
        Assert.Empty(await ListAsync(admin, $"resolvedTo={since}"));
    }

    [Fact]
    public async Task A_request_carried_through_the_lifecycle_becomes_an_outcome_record_with_every_field()
    {
        await using var host = await StartAsync();
        using var resident = host.Client("res-life-8");
        using var anonymous = host.Client();
        using var admin = host.Admin();
        var id = await CreateAsync(resident, Leak);

        // Filed → decided → dispatched (an emergency: straight to work) → on site → completed → confirmed with a rating.
        await WaitForStatusAsync(resident, id, "in_progress");
        (await PostHookAsync(anonymous, Event("evt-out-1", id, "on_site"))).EnsureSuccessStatusCode();
        (await PostHookAsync(anonymous, Event("evt-out-2", id, "completed", actualCost: 312.40m, note: "new trap"))).EnsureSuccessStatusCode();
        await WaitForAwaitedEventAsync(resident, id, "ResidentConfirmed");
        (await resident.PostAsync($"/api/v1/requests/{id}/resolve", Json.Body(new { outcome = "dry", rating = 4 }))).EnsureSuccessStatusCode();

        var request = await WaitForStatusAsync(admin, id, "resolved");
        var export = await admin.GetAsync("/api/v1/admin/learning/outcomes");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var record = lines.Select(l => JsonNode.Parse(l)!).Single(n => n["requestId"]!.GetValue<string>() == id);

        var outcome = request["outcome"]!;
        var updates = request["work"]![0]!["updates"]!.AsArray();
        DateTimeOffset Time(JsonNode? n) => DateTimeOffset.Parse(n!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        double Hours(DateTimeOffset from, DateTimeOffset to) => (to - from).TotalHours;
        var dispatched = Time(outcome["dispatchedAt"]);
        var onSite = Time(updates.Single(u => u!["state"]!.GetValue<string>() == "on_site")!["at"]);
        var completed = Time(updates.Single(u => u!["state"]!.GetValue<string>() == "completed")!["at"]);
        Assert.Equal(onSite, Time(outcome["onSiteAt"]));
        Assert.Equal(completed, Time(outcome["completedAt"]));

        // What it was, and what was chosen.
        Assert.Equal(ApartmentManager.Domain.UnitAddress.NormalizeBuilding("maple-court"), record["building"]!.GetValue<string>());
        Assert.Equal(request["classification"]!["category"]!.GetValue<string>(), record["category"]!.GetValue<string>());
        Assert.Equal(request["classification"]!["urgency"]!.GetValue<string>(), record["urgency"]!.GetValue<string>());
        var chosenId = request["selectedOptionId"]?.GetValue<string>() ?? request["decision"]!["recommendedOptionId"]!.GetValue<string>();
        var chosen = request["options"]!.AsArray().Single(o => o!["id"]!.GetValue<string>() == chosenId)!;
        Assert.Equal(chosen["kind"]!.GetValue<string>(), record["optionKind"]!.GetValue<string>());

        // Times: filed, dispatched, resolved, and the hours between the stages.
        Assert.Equal(Time(request["createdAt"]), Time(record["filedAt"]));
        Assert.Equal(Time(outcome["filedAt"]), Time(record["filedAt"]));
        Assert.Equal(dispatched, Time(record["dispatchedAt"]));
        Assert.Equal(Time(outcome["resolvedAt"]), Time(record["resolvedAt"]));
        Assert.Equal(dispatched.UtcDateTime.TimeOfDay.TotalHours, record["hourOfDay"]!.GetValue<double>(), 9);
        Assert.Equal(Hours(dispatched, onSite), record["responseHours"]!.GetValue<double>(), 9);
        Assert.Equal(Hours(onSite, completed), record["firstVisitHours"]!.GetValue<double>(), 9);
        Assert.Equal(Hours(dispatched, completed), record["resolutionHours"]!.GetValue<double>(), 9);

        // What happened: cost, reopenings, rating (and the satisfaction it means), escalation.
        Assert.Equal(312.40, record["actualCost"]!.GetValue<double>(), 9);
        Assert.Equal(0, record["reopenCount"]!.GetValue<int>());
        Assert.Equal(4, record["rating"]!.GetValue<int>());
        Assert.Equal(0.75, record["satisfaction"]!.GetValue<double>(), 9);
        Assert.False(record["escalated"]!.GetValue<bool>());

        // What the simulation predicted for the chosen option when it was decided, and with which parameters.
        var simulation = chosen["simulation"]!;
        Assert.Equal(simulation["p50Hours"]!.GetValue<double>(), record["simulatedP50Hours"]!.GetValue<double>(), 9);
        Assert.Equal(simulation["p90Hours"]!.GetValue<double>(), record["simulatedP90Hours"]!.GetValue<double>(), 9);
        Assert.Equal(simulation["expectedCost"]!.GetValue<double>(), record["simulatedCost"]!.GetValue<double>(), 9);
        Assert.Equal(simulation["expectedSatisfaction"]!.GetValue<double>(), record["simulatedSatisfaction"]!.GetValue<double>(), 9);
        Assert.Equal("priors", record["parametersVersion"]!.GetValue<string>());

        // The risk model's input row as scored: the columns this build computes, the request's own values, and scoring
        // the kept row again with the configured model gives the probability recorded at decision time.
        Assert.Equal(request["risk"]!["probability"]!.GetValue<double>(), record["riskProbability"]!.GetValue<double>(), 9);
        Assert.Equal(request["risk"]!["level"]!.GetValue<string>(), record["riskLevel"]!.GetValue<string>());
        var inputs = record["riskInputs"]!;
        var names = inputs["names"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var values = inputs["values"]!.AsArray().Select(v => v?.GetValue<double>()).ToList();
        Assert.Equal(RiskFeatureVector.Names, names);
        double? Column(string name) => values[names.IndexOf(name)];
        var filed = Time(request["createdAt"]).UtcDateTime;
        Assert.Equal(filed.Hour, Column("hour"));
        Assert.Equal(((int)filed.DayOfWeek + 6) % 7, Column("weekday"));
        Assert.Equal(0, Column("incidents_90d"));
        Assert.Equal(0, Column("repeat_complaints"));
        Assert.Null(Column("building_age_years")); // unknown to the pipeline: kept as unknown, not as 0
        Assert.Equal(1, Column("category_" + request["classification"]!["category"]!.GetValue<string>()));
        Assert.Equal(1, names.Where(n => n.StartsWith("category_", StringComparison.Ordinal)).Sum(n => Column(n)));
        var row = RiskFeatureVector.FromInputs(new ApartmentManager.Domain.RiskInputs(names, values))!;
        using var configured = new OnnxRiskPredictor(new ApartmentManager.Intelligence.IntelligenceOptions().RiskModelPath);
        Assert.Equal(request["risk"]!["probability"]!.GetValue<double>(), configured.PredictRows([row])[0], 6);
    }

    private static async Task<string[]> ListAsync(HttpClient admin, string query) =>
        [.. (await (await admin.GetAsync("/api/v1/requests?" + query)).ReadAsync())["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];

    [Fact]
    public async Task Reopening_dispatches_again_with_raised_urgency_and_the_second_reopening_escalates()
    {
        await using var host = await StartAsync("--Lifecycle:Questions:BelowConfidence", "0", "--Lifecycle:Questions:AskWhereInUnit", "false");
        using var resident = host.Client("res-life-2");
        using var admin = host.Admin();
        var id = await CreateAsync(resident, "The light switch in the hallway sparks a little when I turn it on");

        var request = await SettleAsync(resident, admin, id);
        Assert.Equal("in_progress", request["status"]!.GetValue<string>());
        await (await resident.PostAsync($"/api/v1/requests/{id}/complete", Json.Body(new { outcome = "x" }))).AssertProblemAsync(403);
        await (await admin.PostAsync($"/api/v1/requests/{id}/complete", Json.Body(new { outcome = "switch replaced", actualCost = 80 }))).ReadAsync();
        await WaitForAwaitedEventAsync(resident, id, "ResidentConfirmed");

        var reopened = await (await resident.PostAsync($"/api/v1/requests/{id}/reopen", Json.Body(new { reason = "it still sparks" }))).ReadAsync();
        Assert.Equal(1, reopened["outcome"]!["reopenCount"]!.GetValue<int>());
        await (await resident.PostAsync($"/api/v1/requests/{id}/reopen", Json.Body(new { reason = "twice" }))).AssertProblemAsync(409);

        var again = await WaitForAsync(resident, id, r => r["work"]!.AsArray().Count == 2 && r["status"]!.GetValue<string>() == "in_progress");
        Assert.Equal(1, again["work"]![1]!["round"]!.GetValue<int>());
        var workOrders = again["executions"]!.AsArray().Where(e => e!["action"]!.GetValue<string>() == "create_work_order").ToList();
        Assert.Equal(2, workOrders.Count); // a second work order, not the first one replayed

        await (await admin.PostAsync($"/api/v1/requests/{id}/complete", Json.Body(new { outcome = "switch and wiring replaced" }))).ReadAsync();
        await WaitForAwaitedEventAsync(resident, id, "ResidentConfirmed");
        await (await resident.PostAsync($"/api/v1/requests/{id}/reopen", Json.Body(new { reason = "still sparks" }))).ReadAsync();

        var escalated = await WaitForStatusAsync(resident, id, "escalated");
        Assert.Equal(2, escalated["outcome"]!["reopenCount"]!.GetValue<int>());
        Assert.True(escalated["outcome"]!["escalated"]!.GetValue<bool>());
        Assert.Equal(2, escalated["executions"]!.AsArray().Count(e => e!["action"]!.GetValue<string>() == "create_work_order"));
        Assert.Equal([id], await ListAsync(admin, "reopened=true&escalated=true"));
        Assert.Empty(await ListAsync(admin, "reopened=false"));
    }

    [Fact]
    public async Task Timers_resolve_an_unanswered_confirmation_and_page_on_call_when_no_one_is_on_site()
    {
        // 0.0005 h = 1.8 s: the confirmation window and the emergency on-site SLA, shortened so the timers fire.
        await using var host = await StartAsync("--Lifecycle:ConfirmationWindowHours", "0.0005");
        using var resident = host.Client("res-life-3");
        using var admin = host.Admin();
        var id = await CreateAsync(resident, Leak);
        await WaitForStatusAsync(resident, id, "in_progress");
        await (await admin.PostAsync($"/api/v1/requests/{id}/complete", Json.Body(new { outcome = "fixed" }))).ReadAsync();

        var resolved = await WaitForStatusAsync(resident, id, "resolved");
        Assert.True(resolved["outcome"]!["unconfirmed"]!.GetValue<bool>());
        Assert.Null(resolved["outcome"]!["confirmedAt"]);
        Assert.False(resolved["resolution"]!["confirmed"]!.GetValue<bool>());

        // An on-site SLA this short makes policy want a manager's approval first; approving it dispatches anyway.
        await using var slow = await StartAsync("--Decision:Sla:Emergency:OnSiteHours", "0.0005");
        using var other = slow.Client("res-life-4");
        using var manager = slow.Admin();
        var late = await CreateAsync(other, Leak);
        await SettleAsync(other, manager, late);
        using var lateAdmin = slow.Admin();
        var escalated = await WaitForStatusAsync(lateAdmin, late, "escalated");
        Assert.Contains(escalated["history"]!.AsArray(), h => h!["event"]!.GetValue<string>() == "on_call_paged");
        Assert.Contains(escalated["executions"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "send_notification"
            && e["idempotencyKey"]!.GetValue<string>().EndsWith("page:on_call", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unclear_message_gets_a_question_and_the_reply_is_triaged_again()
    {
        // Every non-emergency counts as unsure here, so the question is certain; emergencies never wait.
        await using var host = await StartAsync("--Lifecycle:Questions:BelowConfidence", "0.999");
        using var resident = host.Client("res-life-5");
        using var stranger = host.Client("res-life-6");
        using var admin = host.Admin(); // the manager's view shows the classification history and the risk
        var id = await CreateAsync(resident, "The bathroom fan rattles loudly when it runs");

        var asked = await WaitForStatusAsync(admin, id, "awaiting_resident_info");
        var question = asked["question"]!;
        Assert.Equal(1, question["number"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(question["text"]!.GetValue<string>()));
        await WaitForAwaitedEventAsync(resident, id, "ResidentReplied");
        await (await stranger.PostAsync($"/api/v1/requests/{id}/reply", Json.Body(new { message = "hi" }))).AssertProblemAsync(404);

        var replied = await (await resident.PostAsync($"/api/v1/requests/{id}/reply",
            Json.Body(new { message = "It is the ceiling exhaust fan in the bathroom; the fan motor rattles and buzzes" }))).ReadAsync();
        Assert.Null(replied["question"]); // answered (a second reply to it is refused: see the domain tests)

        // Re-triaged with both texts: classified a second time; at most one more question may follow.
        var next = await WaitForAsync(admin, id, r => r["history"]!.AsArray()
            .Count(h => h!["event"]!.GetValue<string>() == "status_changed" && h["to"]?.GetValue<string>() == "classified") == 2);
        if (next["status"]!.GetValue<string>() == "awaiting_resident_info" || next["question"] is not null)
        {
            await WaitForAwaitedEventAsync(resident, id, "ResidentReplied");
            await (await resident.PostAsync($"/api/v1/requests/{id}/reply", Json.Body(new { message = "Since yesterday, every time it runs" }))).ReadAsync();
        }
        var triaged = await WaitForAsync(admin, id, r => r["status"]!.GetValue<string>() is not ("awaiting_resident_info" or "received" or "classified"));
        Assert.InRange(triaged["questions"]!.AsArray().Count, 1, 2);
        Assert.NotNull(triaged["risk"]);
    }

    [Fact]
    public async Task Emergencies_never_wait_for_a_question()
    {
        await using var host = await StartAsync("--Lifecycle:Questions:BelowConfidence", "0.999");
        using var resident = host.Client("res-life-7");
        var id = await CreateAsync(resident, Leak);
        var request = await WaitForStatusAsync(resident, id, "in_progress");
        Assert.Empty(request["questions"]!.AsArray());
    }

    private static object Event(string eventId, string requestId, string state, decimal? actualCost = null, string? note = null) =>
        new { eventId, requestId, state, actualCost, note };

    private static Task<HttpResponseMessage> PostHookAsync(HttpClient client, object body, string? secret = null, DateTimeOffset? at = null)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(body);
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hooks/work-orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        message.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret ?? HookSecret, timestamp, Encoding.UTF8.GetBytes(json)));
        return client.SendAsync(message);
    }

    private static async Task<string> CreateAsync(HttpClient resident, string message)
    {
        var response = await resident.PostAsync("/api/v1/requests", Json.Body(new { building = "maple-court", unit = "7A", message }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync())["id"]!.GetValue<string>();
    }

    /// <summary>Past the decision: choose or approve when asked, until the request is in progress (or further).</summary>
    private static async Task<JsonNode> SettleAsync(HttpClient resident, HttpClient admin, string id)
    {
        var request = await WaitForAsync(resident, id, r => r["status"]!.GetValue<string>() is "awaiting_resident_choice" or "awaiting_manager_approval"
            or "in_progress" or "awaiting_confirmation" or "escalated");
        switch (request["status"]!.GetValue<string>())
        {
            case "awaiting_resident_choice":
                await resident.PostAsync($"/api/v1/requests/{id}/select-option",
                    Json.Body(new { optionId = request["decision"]!["recommendedOptionId"]!.GetValue<string>() }));
                break;
            case "awaiting_manager_approval":
                await admin.PostAsync($"/api/v1/requests/{id}/approve", Json.Body(new { }));
                break;
            default:
                return request;
        }
        return await WaitForAsync(resident, id, r => r["status"]!.GetValue<string>() is "in_progress" or "awaiting_confirmation" or "escalated");
    }

    private static Task<JsonNode> WaitForStatusAsync(HttpClient client, string id, string status) =>
        WaitForAsync(client, id, r => r["status"]!.GetValue<string>() == status);

    private static async Task WaitForAwaitedEventAsync(HttpClient client, string id, string awaited) =>
        await WaitForAsync(client, id, _ => true, $"/api/v1/requests/{id}/workflow", r => r["awaitedEvent"]?.GetValue<string>() == awaited);

    private static async Task WaitForRuntimeAsync(HttpClient client, string id, string runtime) =>
        await WaitForAsync(client, id, _ => true, $"/api/v1/requests/{id}/workflow", r => r["runtimeStatus"]?.GetValue<string>() == runtime);

    private static async Task<JsonNode> WaitForAsync(HttpClient client, string id, Func<JsonNode, bool> done, string? path = null, Func<JsonNode, bool>? check = null)
    {
        check ??= done;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        JsonNode? last = null;
        while (!timeout.IsCancellationRequested)
        {
            last = await (await client.GetAsync(path ?? $"/api/v1/requests/{id}")).ReadAsync();
            if (check(last))
            {
                return last;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Request {id} did not get there; last seen: {last?.ToJsonString()[..Math.Min(600, last.ToJsonString().Length)]}");
    }
}
