using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;

namespace ApartmentManager.Storage.Tests;

/// <summary>
/// What every <see cref="IRequestStore"/> must do. Each adapter's test class derives from this and supplies a store;
/// the tests themselves never change per adapter.
/// </summary>
public abstract class RequestStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A store over empty storage (each test gets its own, or a unique building to keep data apart).</summary>
    protected abstract IRequestStore Store { get; }

    /// <summary>Unique per test, so tests sharing one database never see each other's rows.</summary>
    protected string Building { get; } = "bldg-" + Guid.NewGuid().ToString("N")[..8];

    protected ResidentRequest NewRequest(string? resident = null, DateTimeOffset? at = null, string? id = null, string unit = "4B") =>
        ResidentRequest.Create(id ?? "req_" + Guid.CreateVersion7().ToString("N"), resident ?? "res-" + Guid.NewGuid().ToString("N")[..6],
            Building, unit, Channel.Web, "The kitchen sink is leaking under the cabinet", at ?? T0, "tester");

    [Fact]
    public async Task Created_request_reads_back_with_its_history_and_an_etag()
    {
        var request = NewRequest();
        var created = await Store.CreateAsync(request);

        var read = await Store.GetAsync(request.Id, request.ResidentId);

        Assert.NotNull(read);
        Assert.Equal(created.ETag, read.ETag);
        Assert.Equal(request.Message, read.Value.Message);
        Assert.Equal(request.CreatedAt, read.Value.CreatedAt);
        Assert.Equal(RequestStatus.Received, read.Value.Status);
        Assert.Equal("created", Assert.Single(read.Value.History).Event);
    }

    [Fact]
    public async Task Get_without_partition_finds_the_request_and_a_wrong_resident_does_not()
    {
        var request = NewRequest();
        await Store.CreateAsync(request);

        Assert.NotNull(await Store.GetAsync(request.Id));
        Assert.Null(await Store.GetAsync(request.Id, "someone-else"));
        Assert.Null(await Store.GetAsync("req_missing" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task Creating_the_same_id_twice_keeps_the_first_and_reports_it()
    {
        var first = NewRequest(id: "req_dup" + Guid.NewGuid().ToString("N"));
        await Store.CreateAsync(first);
        var second = first with { Message = "something else" };

        var duplicate = await Assert.ThrowsAsync<DuplicateRequestException>(() => Store.CreateAsync(second));

        Assert.Equal(first.Message, duplicate.Existing.Value.Message);
        Assert.Equal(first.Message, (await Store.GetAsync(first.Id))!.Value.Message);
    }

    [Fact]
    public async Task Replace_with_the_current_etag_wins_and_with_a_stale_one_conflicts()
    {
        var created = await Store.CreateAsync(NewRequest());
        var classified = created.Value.TransitionTo(RequestStatus.Escalated, "admin:a", T0.AddMinutes(1));

        var replaced = await Store.ReplaceAsync(classified, created.ETag);

        Assert.NotEqual(created.ETag, replaced.ETag);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.ReplaceAsync(classified.TransitionTo(RequestStatus.Resolved, "admin:a", T0.AddMinutes(2)), created.ETag));
        var read = await Store.GetAsync(created.Value.Id);
        Assert.Equal(RequestStatus.Escalated, read!.Value.Status);
        Assert.Equal(2, read.Value.History.Count);
    }

    [Fact]
    public async Task Two_writers_holding_the_same_etag_exactly_one_wins_and_nothing_is_lost()
    {
        var created = await Store.CreateAsync(NewRequest());
        var a = created.Value.Record("note_a", "writer-a", T0.AddMinutes(1));
        var b = created.Value.Record("note_b", "writer-b", T0.AddMinutes(1));

        var results = await Task.WhenAll(
            Attempt(() => Store.ReplaceAsync(a, created.ETag)),
            Attempt(() => Store.ReplaceAsync(b, created.ETag)));

        Assert.Equal(1, results.Count(ok => ok));
        var stored = (await Store.GetAsync(created.Value.Id))!.Value;
        var winner = results[0] ? "note_a" : "note_b";
        Assert.Equal(winner, stored.History[^1].Event);
        Assert.Equal(2, stored.History.Count);

        static async Task<bool> Attempt(Func<Task> write)
        {
            try
            {
                await write();
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        }
    }

    [Fact]
    public async Task Query_filters_by_resident_status_building_and_created_range()
    {
        var resident = "res-" + Guid.NewGuid().ToString("N")[..6];
        var early = await Store.CreateAsync(NewRequest(resident, T0));
        var late = await Store.CreateAsync(NewRequest(resident, T0.AddDays(2)));
        await Store.CreateAsync(NewRequest(null, T0.AddDays(1)));
        await Store.ReplaceAsync(late.Value.TransitionTo(RequestStatus.Escalated, "admin:x", T0.AddDays(2)), late.ETag);

        var mine = await Store.QueryAsync(new RequestQuery { ResidentId = resident, Limit = 10 });
        var escalated = await Store.QueryAsync(new RequestQuery { Building = Building, Status = RequestStatus.Escalated, Limit = 10 });
        var firstDay = await Store.QueryAsync(new RequestQuery { Building = Building, CreatedFrom = T0, CreatedTo = T0.AddHours(12), Limit = 10 });

        Assert.Equal([late.Value.Id, early.Value.Id], mine.Items.Select(r => r.Id));
        Assert.Equal(late.Value.Id, Assert.Single(escalated.Items).Id);
        Assert.Equal(early.Value.Id, Assert.Single(firstDay.Items).Id);
    }

    [Fact]
    public async Task Query_filters_by_category_and_urgency_once_classified()
    {
        var created = await Store.CreateAsync(NewRequest());
        await Store.CreateAsync(NewRequest());
        var classification = new Classification(Category.Plumbing, Urgency.High, 0.9, [], ["leak"], "rules", "test");
        await Store.ReplaceAsync(created.Value.WithClassification(classification, T0.AddMinutes(1)), created.ETag);

        var plumbing = await Store.QueryAsync(new RequestQuery { Building = Building, Category = Category.Plumbing });
        var high = await Store.QueryAsync(new RequestQuery { Building = Building, Urgency = Urgency.High });
        var billing = await Store.QueryAsync(new RequestQuery { Building = Building, Category = Category.Billing });

        Assert.Equal(created.Value.Id, Assert.Single(plumbing.Items).Id);
        Assert.Equal(created.Value.Id, Assert.Single(high.Items).Id);
        Assert.Empty(billing.Items);
        Assert.Equal(Category.Plumbing, plumbing.Items[0].Classification!.Category);
    }

    [Fact]
    public async Task Query_filters_by_outcome_escalated_reopened_rating_resolved_range_and_unconfirmed()
    {
        // A: escalated, then closed by a manager on day 1 (no rating). B: confirmed with a 5 on day 2 after a reopening.
        // C: resolved unconfirmed on day 3. D: still open.
        var a = await Store.CreateAsync(NewRequest(at: T0));
        var b = await Store.CreateAsync(NewRequest(at: T0.AddMinutes(1)));
        var c = await Store.CreateAsync(NewRequest(at: T0.AddMinutes(2)));
        var d = await Store.CreateAsync(NewRequest(at: T0.AddMinutes(3)));
        await Store.ReplaceAsync(a.Value.TransitionTo(RequestStatus.Escalated, "system", T0.AddHours(1))
            .Resolve("closed by the office", null, "admin:m1", T0.AddDays(1)), a.ETag);
        await Store.ReplaceAsync((b.Value.Record(ResidentRequest.ReopenedEvent, b.Value.ResidentId, T0.AddHours(5), "still dripping") with
        {
            Status = RequestStatus.Resolved,
            Resolution = new Resolution("dry now", 5, b.Value.ResidentId, T0.AddDays(2), Confirmed: true),
        }), b.ETag);
        await Store.ReplaceAsync(c.Value with
        {
            Status = RequestStatus.Resolved,
            Resolution = new Resolution("no answer", null, "system", T0.AddDays(3), Confirmed: false),
        }, c.ETag);

        async Task<string[]> Ids(RequestQuery q) => [.. (await Store.QueryAsync(q with { Building = Building, Limit = 10 })).Items.Select(r => r.Id)];
        string A = a.Value.Id, B = b.Value.Id, C = c.Value.Id, D = d.Value.Id;

        Assert.Equal([A], await Ids(new RequestQuery { Escalated = true }));
        Assert.Equal([D, C, B], await Ids(new RequestQuery { Escalated = false }));
        Assert.Equal([B], await Ids(new RequestQuery { Reopened = true }));
        Assert.Equal([D, C, A], await Ids(new RequestQuery { Reopened = false }));
        Assert.Equal([B], await Ids(new RequestQuery { MinRating = 4 }));
        Assert.Empty(await Ids(new RequestQuery { MaxRating = 3 }));
        Assert.Equal([B], await Ids(new RequestQuery { MinRating = 1, MaxRating = 5 }));
        Assert.Equal([C, B], await Ids(new RequestQuery { ResolvedFrom = T0.AddDays(1.5) }));
        Assert.Equal([A], await Ids(new RequestQuery { ResolvedTo = T0.AddDays(1.5) }));
        Assert.Equal([B, A], await Ids(new RequestQuery { ResolvedFrom = T0.AddDays(1), ResolvedTo = T0.AddDays(2) }));
        Assert.Equal([C], await Ids(new RequestQuery { Unconfirmed = true }));
        Assert.Equal([D, B, A], await Ids(new RequestQuery { Unconfirmed = false }));
        Assert.Equal([C, B], await Ids(new RequestQuery { Escalated = false, ResolvedFrom = T0 }));
    }

    [Fact]
    public async Task Query_filters_by_the_selected_option()
    {
        var resident = "res-" + Guid.NewGuid().ToString("N")[..6];
        var simulation = new OptionSimulation(100, 1, 2, 10, 5, 20, 0, 0.8, true, []);
        ResolutionOption[] options =
        [
            new("billing_credit", "billing_credit", "Credit", "A credit", simulation, [], 25m),
            new("ledger_review", "ledger_review", "Review", "A review", simulation, []),
        ];
        var credited = await Store.CreateAsync(NewRequest(resident) with { Options = options });
        var reviewed = await Store.CreateAsync(NewRequest(resident) with { Options = options });
        await Store.CreateAsync(NewRequest(resident));
        await Store.ReplaceAsync(credited.Value.WithSelectedOption("billing_credit", "system", T0.AddMinutes(1)), credited.ETag);
        await Store.ReplaceAsync(reviewed.Value.WithSelectedOption("ledger_review", "system", T0.AddMinutes(1)), reviewed.ETag);

        var credits = await Store.QueryAsync(new RequestQuery { ResidentId = resident, SelectedOptionId = "billing_credit", CreatedFrom = T0 });
        var all = await Store.QueryAsync(new RequestQuery { ResidentId = resident });

        Assert.Equal(credited.Value.Id, Assert.Single(credits.Items).Id);
        Assert.Equal(3, all.Items.Count);
    }

    [Fact]
    public async Task Paging_returns_every_item_exactly_once_while_new_items_arrive()
    {
        var expected = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            expected.Add((await Store.CreateAsync(NewRequest(at: T0.AddMinutes(i % 7)))).Value.Id); // ties on created time on purpose
        }

        var seen = new List<string>();
        var query = new RequestQuery { Building = Building, Limit = 5 };
        var added = 0;
        do
        {
            var page = await Store.QueryAsync(query);
            Assert.True(page.Items.Count <= 5);
            seen.AddRange(page.Items.Select(r => r.Id));
            query = query with { ContinuationToken = page.ContinuationToken };
            // Someone files a new request between every two pages.
            await Store.CreateAsync(NewRequest(at: T0.AddHours(1 + added++)));
        }
        while (query.ContinuationToken is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(expected.Except(seen));
    }

    [Fact]
    public async Task A_tampered_or_foreign_continuation_token_is_rejected()
    {
        for (var i = 0; i < 3; i++)
        {
            await Store.CreateAsync(NewRequest(at: T0.AddMinutes(i)));
        }
        var page = await Store.QueryAsync(new RequestQuery { Building = Building, Limit = 1 });
        Assert.NotNull(page.ContinuationToken);

        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() =>
            Store.QueryAsync(new RequestQuery { Building = "other", Limit = 1, ContinuationToken = page.ContinuationToken }));
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() =>
            Store.QueryAsync(new RequestQuery { Building = Building, Limit = 1, ContinuationToken = "not*a*token" }));
    }

    [Fact]
    public async Task Counts_recent_requests_for_a_unit()
    {
        await Store.CreateAsync(NewRequest(at: T0.AddDays(-100), unit: "7C"));
        await Store.CreateAsync(NewRequest(at: T0.AddDays(-10), unit: "7C"));
        await Store.CreateAsync(NewRequest(at: T0, unit: "7C"));
        await Store.CreateAsync(NewRequest(at: T0, unit: "8A"));

        Assert.Equal(2, await Store.CountForUnitAsync(Building, "7C", T0.AddDays(-90)));
    }

    [Fact]
    public async Task Counts_recent_requests_for_a_unit_by_category()
    {
        var leak = await Store.CreateAsync(NewRequest(at: T0, unit: "3D"));
        await Store.CreateAsync(NewRequest(at: T0, unit: "3D"));
        await Store.ReplaceAsync(leak.Value.WithClassification(
            new Classification(Category.Plumbing, Urgency.Normal, 0.9, [], [], "rules", "test"), T0.AddMinutes(1)), leak.ETag);

        Assert.Equal(1, await Store.CountForUnitAsync(Building, "3D", T0.AddDays(-30), Category.Plumbing));
        Assert.Equal(0, await Store.CountForUnitAsync(Building, "3D", T0.AddDays(-30), Category.Billing));
        Assert.Equal(2, await Store.CountForUnitAsync(Building, "3D", T0.AddDays(-30)));
    }

    [Fact]
    public async Task Reports_reachable()
    {
        Assert.True(await Store.IsReachableAsync());
    }
}
