using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace ApartmentManager.Api.Tests;

/// <summary>
/// Money and the re-check of the chosen option, through the real single-node host and its workflow engine. The host
/// weighs satisfaction heavily (so a billing complaint's recommendation is the credit), ignores cost (so a chargeback
/// is never the recommendation), and offers the resident every feasible option.
/// </summary>
public sealed class FinancialControlsEndToEndTests(FinancialControlsFixture fixture) : IClassFixture<FinancialControlsFixture>
{
    private SingleNodeHost Host => fixture.Host;

    private static readonly string[] Settled = ["awaiting_resident_choice", "awaiting_manager_approval", "awaiting_resident_info",
        "in_progress", "awaiting_confirmation", "resolved", "escalated"];
    private static readonly string[] CarriedOut = ["in_progress", "awaiting_confirmation", "resolved"];

    [Fact]
    public async Task A_billing_complaint_posts_no_credit_until_a_manager_approves_and_then_the_policy_amount()
    {
        using var resident = Host.Client("res-fin-billing");
        using var admin = Host.Admin();
        var id = await CreateAsync(resident, "I was charged a $400 late fee but I paid on time, please credit my account", "7D");

        var request = await Json.WaitForStatusAsync(admin, id, Settled); // the manager's view: the reasoning is not shown to residents
        Assert.Equal("billing", request["classification"]!["category"]!.GetValue<string>());
        Assert.Equal("billing_credit", request["decision"]!["recommendedOptionId"]!.GetValue<string>());
        Assert.Equal("manager_approves", request["decision"]!["nextStep"]!.GetValue<string>());
        Assert.Equal("awaiting_manager_approval", request["status"]!.GetValue<string>());
        Assert.Contains("claim alone", request["decision"]!["reasoning"]!.GetValue<string>());
        var credit = request["options"]!.AsArray().Single(o => o!["id"]!.GetValue<string>() == "billing_credit")!;
        Assert.Equal(50m, credit["amount"]!.GetValue<decimal>());
        Assert.Empty(request["executions"]!.AsArray());
        Assert.Empty(LedgerEntries(id));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/requests/{id}/approve", Json.Body(new { note = "checked the ledger" }))).StatusCode);
        var resolved = await Json.WaitForStatusAsync(resident, id, [.. CarriedOut, "escalated"]);
        Assert.Contains(resolved["status"]!.GetValue<string>(), CarriedOut);
        // One credit, of the configured goodwill amount — not the $400 the message names.
        Assert.Equal(["credit 50.00"], LedgerEntries(id));
    }

    [Fact]
    public async Task A_ledger_review_that_finds_the_charge_wrong_posts_a_verified_credit_of_the_amount_found_once()
    {
        using var resident = Host.Client("res-fin-review");
        using var admin = Host.Admin();
        var id = await ReviewInProgressAsync(resident, admin, "I was charged a $400 late fee but I paid on time, please credit my account", "2A");

        // Only a manager completes the review, and only with a finding whose amount makes sense.
        await (await resident.PostAsync($"/api/v1/requests/{id}/complete",
            Json.Body(new { outcome = "reviewed", finding = new { chargeWrong = true, amount = 40 } }))).AssertProblemAsync(403);
        var missing = await (await admin.PostAsync($"/api/v1/requests/{id}/complete", Json.Body(new { outcome = "reviewed" }))).AssertProblemAsync(400);
        Assert.NotNull(missing["errors"]!["finding"]);
        foreach (var amount in new[] { -5m, 10.005m, 250.01m, 0m })
        {
            var bad = await (await admin.PostAsync($"/api/v1/requests/{id}/complete",
                Json.Body(new { outcome = "reviewed", finding = new { chargeWrong = true, amount } }))).AssertProblemAsync(400);
            Assert.NotNull(bad["errors"]!["finding.amount"]);
        }
        Assert.Equal("in_progress", (await (await admin.GetAsync($"/api/v1/requests/{id}")).ReadAsync())["status"]!.GetValue<string>());

        var completed = await (await admin.PostAsync($"/api/v1/requests/{id}/complete", Json.Body(new
        {
            outcome = "the late fee was posted in error",
            finding = new { chargeWrong = true, amount = 42.50m, note = "bank transfer arrived on the 1st; fee reversed" },
        }))).ReadAsync();
        Assert.Equal("awaiting_confirmation", completed["status"]!.GetValue<string>());
        // Completing twice is refused: the review is no longer open.
        await (await admin.PostAsync($"/api/v1/requests/{id}/complete",
            Json.Body(new { outcome = "again", finding = new { chargeWrong = true, amount = 42.50m } }))).AssertProblemAsync(409);

        await WaitForAwaitedEventAsync(admin, id, "ResidentConfirmed");
        // One credit, of exactly the amount the review found wrong — not the $400 of the message, not the 50.00 standard.
        Assert.Equal(["credit 42.50"], LedgerEntries(id));

        var manager = await (await admin.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
        Assert.True(manager["finding"]!["chargeWrong"]!.GetValue<bool>());
        Assert.Equal(42.50m, manager["finding"]!["amount"]!.GetValue<decimal>());
        Assert.Equal("bank transfer arrived on the 1st; fee reversed", manager["finding"]!["note"]!.GetValue<string>());
        Assert.Contains(manager["history"]!.AsArray(), h => h!["event"]!.GetValue<string>() == "ledger_finding");
        Assert.Contains(manager["executions"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "post_ledger_entry"
            && e["status"]!.GetValue<string>() == "succeeded");

        // The resident reads the outcome, not the office's note or who wrote it.
        var mine = await (await resident.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
        Assert.Equal("awaiting_confirmation", mine["status"]!.GetValue<string>());
        Assert.Contains("found the charge wrong by 42.50", mine["finding"]!["summary"]!.GetValue<string>());
        Assert.Null(mine["finding"]!["note"]);
        Assert.Equal("manager", mine["finding"]!["foundBy"]!.GetValue<string>());
        Assert.DoesNotContain("bank transfer", mine.ToJsonString(), StringComparison.Ordinal);

        var confirmed = await (await resident.PostAsync($"/api/v1/requests/{id}/resolve", Json.Body(new { outcome = "credit received", rating = 5 }))).ReadAsync();
        Assert.Equal("resolved", confirmed["status"]!.GetValue<string>());
        Assert.Equal(["credit 42.50"], LedgerEntries(id));
    }

    [Fact]
    public async Task A_ledger_review_that_finds_the_charge_right_posts_no_credit_and_asks_the_resident_to_confirm()
    {
        using var resident = Host.Client("res-fin-right");
        using var admin = Host.Admin();
        var id = await ReviewInProgressAsync(resident, admin, "My rent is wrong this month, I was charged too much", "2B");

        var completed = await (await admin.PostAsync($"/api/v1/requests/{id}/complete", Json.Body(new
        {
            outcome = "the charge matches the lease",
            finding = new { chargeWrong = false, note = "rent rose per the renewal signed in August" },
        }))).ReadAsync();
        Assert.Equal("awaiting_confirmation", completed["status"]!.GetValue<string>());

        await WaitForAwaitedEventAsync(admin, id, "ResidentConfirmed");
        Assert.Empty(LedgerEntries(id));
        var mine = await (await resident.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
        Assert.False(mine["finding"]!["chargeWrong"]!.GetValue<bool>());
        Assert.Equal("the ledger review found the charge correct; no credit is due", mine["finding"]!["summary"]!.GetValue<string>());
        Assert.DoesNotContain(mine["executions"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "post_ledger_entry");
    }

    [Fact]
    public async Task A_verified_credit_above_the_auto_approval_limit_waits_for_a_manager_and_is_posted_once_on_approval()
    {
        using var resident = Host.Client("res-fin-large");
        using var admin = Host.Admin();
        var (id, held) = await CreditHeldForManagerAsync(resident, admin, "2C");
        Assert.Contains(held["history"]!.AsArray(), h => h!["event"]!.GetValue<string>() == "finding_credit_needs_approval"
            && h["detail"]!.GetValue<string>().Contains("credit of 120.00 needs a manager", StringComparison.Ordinal)
            && h["detail"]!.GetValue<string>().Contains("credit_above_auto_limit", StringComparison.Ordinal));
        Assert.Empty(LedgerEntries(id));

        // Only a manager approves: the resident is refused, and nothing is posted.
        using (var refused = await resident.PostAsync($"/api/v1/requests/{id}/approve", Json.Body(new { })))
        {
            Assert.Contains(refused.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        Assert.Empty(LedgerEntries(id));

        var approved = await admin.PostAsync($"/api/v1/requests/{id}/approve", Json.Body(new { note = "verified by the office" }));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var confirming = await Json.WaitForStatusAsync(admin, id, ["awaiting_confirmation", "escalated", "resolved"]);
        Assert.Equal("awaiting_confirmation", confirming["status"]!.GetValue<string>());
        await WaitForAwaitedEventAsync(admin, id, "ResidentConfirmed");
        Assert.Equal(["credit 120.00"], LedgerEntries(id));
        var mine = await (await resident.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
        Assert.Single(mine["executions"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "post_ledger_entry");

        // A second approval finds nothing awaiting approval and posts nothing more.
        using (var again = await admin.PostAsync($"/api/v1/requests/{id}/approve", Json.Body(new { })))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }
        Assert.Equal(["credit 120.00"], LedgerEntries(id));

        var confirmed = await (await resident.PostAsync($"/api/v1/requests/{id}/resolve", Json.Body(new { outcome = "credit received", rating = 5 }))).ReadAsync();
        Assert.Equal("resolved", confirmed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_held_credit_a_manager_rejects_posts_nothing_and_the_resident_is_told()
    {
        using var resident = Host.Client("res-fin-held-no");
        using var admin = Host.Admin();
        var (id, _) = await CreditHeldForManagerAsync(resident, admin, "2D");

        var rejected = await admin.PostAsync($"/api/v1/requests/{id}/reject", Json.Body(new { reason = "refunded by bank transfer already" }));
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var confirming = await Json.WaitForStatusAsync(admin, id, ["awaiting_confirmation", "escalated", "resolved"]);
        Assert.Equal("awaiting_confirmation", confirming["status"]!.GetValue<string>());
        await WaitForAwaitedEventAsync(admin, id, "ResidentConfirmed");
        Assert.Empty(LedgerEntries(id));
        var after = await (await admin.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
        Assert.Contains(after["history"]!.AsArray(), h => h!["event"]!.GetValue<string>() == "finding_credit_rejected");
        Assert.DoesNotContain(after["executions"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "post_ledger_entry");
        Assert.Contains(after["executions"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "send_notification");
    }

    /// <summary>
    /// A late-fee complaint whose ledger review finds the charge wrong by 120, above the auto-approval limit: returns once
    /// the workflow holds that credit for a manager (awaiting approval, and waiting for the manager's answer).
    /// </summary>
    private async Task<(string Id, JsonNode Held)> CreditHeldForManagerAsync(HttpClient resident, HttpClient admin, string unit)
    {
        var id = await ReviewInProgressAsync(resident, admin, "I was charged a $400 late fee but I paid on time, please credit my account", unit);
        await (await admin.PostAsync($"/api/v1/requests/{id}/complete",
            Json.Body(new { outcome = "reviewed", finding = new { chargeWrong = true, amount = 120 } }))).ReadAsync();
        var held = await Json.WaitForStatusAsync(admin, id, ["awaiting_manager_approval", "escalated", "resolved"]);
        Assert.Equal("awaiting_manager_approval", held["status"]!.GetValue<string>());
        await WaitForAwaitedEventAsync(admin, id, "ManagerApproved");
        return (id, held);
    }

    /// <summary>A billing complaint whose manager sends it to the office's ledger review instead of approving the credit.</summary>
    private async Task<string> ReviewInProgressAsync(HttpClient resident, HttpClient admin, string message, string unit)
    {
        var id = await CreateAsync(resident, message, unit);
        var request = await Json.WaitForStatusAsync(admin, id, Settled);
        Assert.Equal("awaiting_manager_approval", request["status"]!.GetValue<string>());
        Assert.Contains(request["options"]!.AsArray(), o => o!["id"]!.GetValue<string>() == "ledger_review");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/requests/{id}/approve", Json.Body(new { optionId = "ledger_review" }))).StatusCode);
        var review = await Json.WaitForStatusAsync(admin, id, [.. CarriedOut, "escalated"]);
        Assert.Equal("in_progress", review["status"]!.GetValue<string>());
        Assert.Equal("office_task", review["work"]![0]!["kind"]!.GetValue<string>());
        Assert.Empty(LedgerEntries(id));
        return id;
    }

    private static async Task WaitForAwaitedEventAsync(HttpClient client, string id, string awaited)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? last = null;
        while (!timeout.IsCancellationRequested)
        {
            last = (await (await client.GetAsync($"/api/v1/requests/{id}/workflow")).ReadAsync())["awaitedEvent"]?.GetValue<string>();
            if (last == awaited)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The workflow of {id} waits for '{last}', not '{awaited}'.");
    }

    [Fact]
    public async Task A_resident_choosing_an_option_that_needs_approval_waits_for_a_manager()
    {
        using var resident = Host.Client("res-fin-choice");
        using var admin = Host.Admin();
        var id = await CreateAsync(resident, "My son accidentally broke the oven door, it will not close any more. Photo attached.", "7E");

        var request = await Json.WaitForStatusAsync(resident, id, Settled);
        Assert.Equal("awaiting_resident_choice", request["status"]!.GetValue<string>());
        Assert.NotEqual("repair_with_chargeback", request["decision"]!["recommendedOptionId"]!.GetValue<string>());
        Assert.Contains(request["options"]!.AsArray(), o => o!["id"]!.GetValue<string>() == "repair_with_chargeback");

        var chosen = await resident.PostAsync($"/api/v1/requests/{id}/select-option", Json.Body(new { optionId = "repair_with_chargeback" }));
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);

        var waiting = await Json.WaitForStatusAsync(admin, id, ["awaiting_manager_approval", "executing", .. CarriedOut, "escalated"]);
        Assert.Equal("awaiting_manager_approval", waiting["status"]!.GetValue<string>());
        Assert.Empty(waiting["executions"]!.AsArray());
        Assert.Contains(waiting["history"]!.AsArray(), h => h!["event"]!.GetValue<string>() == "option_needs_approval"
            && h["detail"]!.GetValue<string>().Contains("[chargeback]", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/requests/{id}/approve", Json.Body(new { }))).StatusCode);
        var resolved = await Json.WaitForStatusAsync(resident, id, [.. CarriedOut, "escalated"]);
        Assert.Contains(resolved["status"]!.GetValue<string>(), CarriedOut);
        Assert.Equal("repair_with_chargeback", resolved["selectedOptionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Selecting_an_option_that_breaks_a_hard_constraint_is_a_409_with_the_reason()
    {
        using var resident = Host.Client("res-fin-forbidden");
        using var admin = Host.Admin();
        var id = await CreateAsync(resident, "I accidentally broke the oven door, it will not close any more.", "7F");

        var request = await Json.WaitForStatusAsync(admin, id, Settled); // the ranking is in the manager's view only
        Assert.True(request["status"]!.GetValue<string>() == "awaiting_resident_choice", request["decision"]!["reasoning"]!.GetValue<string>());
        var ranking = request["decision"]!["ranking"]!.AsArray();
        Assert.Contains("chargeback_requires_evidence",
            ranking.Single(s => s!["optionId"]!.GetValue<string>() == "repair_with_chargeback")!["violatedConstraints"]!.AsArray().Select(v => v!.GetValue<string>()));

        var refused = await (await resident.PostAsync($"/api/v1/requests/{id}/select-option", Json.Body(new { optionId = "repair_with_chargeback" })))
            .AssertProblemAsync(409);
        Assert.EndsWith("/option-forbidden", refused["type"]!.GetValue<string>());
        Assert.Contains("chargeback_without_evidence", refused["detail"]!.GetValue<string>());
        var unchanged = await (await resident.GetAsync($"/api/v1/requests/{id}")).ReadAsync();
        Assert.Equal("awaiting_resident_choice", unchanged["status"]!.GetValue<string>());
        Assert.Null(unchanged["selectedOptionId"]);
    }

    // Each test files in its own unit: the risk model counts the unit's earlier incidents, so a shared unit would make the
    // tests depend on their order.
    private static async Task<string> CreateAsync(HttpClient resident, string message, string unit) =>
        (await (await resident.PostAsync("/api/v1/requests", Json.Body(new { building = "maple-court", unit, message }))).ReadAsync())["id"]!.GetValue<string>();

    private List<string> LedgerEntries(string requestId)
    {
        var path = Path.Combine(Host.DataDirectory, "executions.db");
        if (!File.Exists(path))
        {
            return [];
        }
        using var db = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT entry_type, amount FROM ledger_entries WHERE request_id = $id ORDER BY created_at";
        command.Parameters.AddWithValue("$id", requestId);
        var entries = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add($"{reader.GetString(0)} {decimal.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture):0.00}");
        }
        return entries;
    }
}

public sealed class FinancialControlsFixture : IAsyncLifetime
{
    public SingleNodeHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await SingleNodeHost.StartAsync(null,
        "--Workflow:PollInterval", "00:00:00.100",
        "--Decision:Weights:Satisfaction", "3", "--Decision:Weights:Cost", "0", "--Decision:ResidentChoiceMargin", "1.0");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
