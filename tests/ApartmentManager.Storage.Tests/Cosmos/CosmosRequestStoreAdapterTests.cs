using System.Text.Json;
using ApartmentManager.Adapters.Cosmos;
using ApartmentManager.Application.Ports;
using ApartmentManager.Domain;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Storage.Tests.Cosmos;

/// <summary>What the Cosmos DB adapter does beyond the contract: document shape, cross-partition order, logging, wiring.</summary>
[Collection(CosmosServerCollection.Name)]
public sealed class CosmosRequestStoreAdapterTests(CosmosServerFixture server)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly string _building = "bldg-" + Guid.NewGuid().ToString("N")[..8];

    private ResidentRequest NewRequest(string resident, DateTimeOffset at, string? id = null) =>
        ResidentRequest.Create(id ?? "req_" + Guid.CreateVersion7().ToString("N"), resident, _building, "2A", Channel.Sms,
            "No hot water since this morning", at, "tester");

    [Fact]
    public async Task Admin_listing_pages_across_resident_partitions_in_exact_created_then_id_order()
    {
        var store = server.CreateStore();
        var created = new List<ResidentRequest>();
        for (var resident = 0; resident < 5; resident++)
        {
            for (var i = 0; i < 4; i++)
            {
                // Times repeat across residents, so ties on created time are broken by id across partitions.
                var at = T0.AddMinutes((resident * 3 + i) % 6).AddTicks(i);
                created.Add((await store.CreateAsync(NewRequest($"res-{resident}-{_building}", at))).Value);
            }
        }
        var expected = created
            .OrderByDescending(r => r.CreatedAt.UtcTicks)
            .ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Select(r => r.Id)
            .ToList();

        var seen = new List<string>();
        var query = new RequestQuery { Building = _building, Limit = 3 };
        var pages = 0;
        do
        {
            var page = await store.QueryAsync(query);
            pages++;
            seen.AddRange(page.Items.Select(r => r.Id));
            query = query with { ContinuationToken = page.ContinuationToken };
        }
        while (query.ContinuationToken is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(7, pages);
    }

    [Fact]
    public async Task Requests_one_tick_apart_sort_by_time_even_when_their_ids_sort_the_other_way()
    {
        // Stored as a number, a tick count near 6.4e17 is a double rounded to 128 ticks: these two would tie and the
        // ids would decide. The fixed-width UTC key keeps every tick.
        var store = server.CreateStore();
        var older = await store.CreateAsync(NewRequest("res-a-" + _building, T0, id: "req_zzz" + Guid.NewGuid().ToString("N")));
        var newer = await store.CreateAsync(NewRequest("res-b-" + _building, T0.AddTicks(1), id: "req_aaa" + Guid.NewGuid().ToString("N")));

        var page = await store.QueryAsync(new RequestQuery { Building = _building, Limit = 10 });
        var afterOlder = await store.QueryAsync(new RequestQuery { Building = _building, CreatedFrom = T0.AddTicks(1) });

        Assert.Equal([newer.Value.Id, older.Value.Id], page.Items.Select(r => r.Id));
        Assert.Equal(newer.Value.Id, Assert.Single(afterOlder.Items).Id);
    }

    [Fact]
    public async Task The_stored_document_is_the_request_with_its_history_plus_top_level_query_fields()
    {
        var store = server.CreateStore();
        var created = await store.CreateAsync(NewRequest("res-doc-" + _building, T0.AddHours(3).ToOffset(TimeSpan.FromHours(-5))));
        var classification = new Classification(Category.Plumbing, Urgency.Emergency, 0.97, [], ["no hot water"], "rules", "test");
        var replaced = await store.ReplaceAsync(created.Value.WithClassification(classification, T0.AddHours(4)), created.ETag);

        using var response = await server.Requests.ReadItemStreamAsync(created.Value.Id, new PartitionKey(created.Value.ResidentId));
        using var json = await JsonDocument.ParseAsync(response.Content);
        var document = json.RootElement;

        Assert.Equal(created.Value.Id, document.GetProperty("id").GetString());
        Assert.Equal(created.Value.ResidentId, document.GetProperty("residentId").GetString());
        Assert.Equal("2026-11-01T11:00:00.0000000Z", document.GetProperty("createdKey").GetString());
        Assert.Equal("plumbing", document.GetProperty("category").GetString());
        Assert.Equal("emergency", document.GetProperty("urgency").GetString());
        Assert.Equal("plumbing", document.GetProperty("classification").GetProperty("category").GetString());
        Assert.Equal("classified", document.GetProperty("status").GetString());
        Assert.Equal(2, document.GetProperty("history").GetArrayLength());
        Assert.Equal(replaced.ETag, document.GetProperty("_etag").GetString());
    }

    [Fact]
    public async Task A_residents_listing_sees_only_that_residents_partition()
    {
        var store = server.CreateStore();
        var mine = "res-mine-" + _building;
        await store.CreateAsync(NewRequest(mine, T0));
        await store.CreateAsync(NewRequest(mine, T0.AddMinutes(1)));
        await store.CreateAsync(NewRequest("res-other-" + _building, T0.AddMinutes(2)));

        var page = await store.QueryAsync(new RequestQuery { ResidentId = mine });

        Assert.Equal(2, page.Items.Count);
        Assert.All(page.Items, r => Assert.Equal(mine, r.ResidentId));
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task Every_operation_logs_its_request_charge_as_a_structured_field()
    {
        var logger = new ListLogger<CosmosRequestStore>();
        var store = server.CreateStore(logger);
        var created = await store.CreateAsync(NewRequest("res-log-" + _building, T0));
        await store.GetAsync(created.Value.Id, created.Value.ResidentId);
        await store.GetAsync(created.Value.Id);
        await store.ReplaceAsync(created.Value.Record("note", "tester", T0.AddMinutes(1)), created.ETag);
        await store.QueryAsync(new RequestQuery { Building = _building });
        await store.CountForUnitAsync(_building, "2A", T0);

        var charged = logger.Entries.Where(e => e.Fields.ContainsKey("RequestCharge")).ToList();
        Assert.Equal(["create", "read", "get-by-id", "replace", "query", "count"],
            charged.Select(e => (string)e.Fields["Operation"]!));
        Assert.All(charged, e =>
        {
            Assert.IsType<double>(e.Fields["RequestCharge"]);
            Assert.Equal(server.Options.RequestsContainer, e.Fields["Container"]);
        });
        var query = charged.Single(e => (string)e.Fields["Operation"]! == "query");
        Assert.Equal(true, query.Fields["CrossPartition"]);
        Assert.Equal(1, query.Fields["ItemCount"]);
    }

    [Fact]
    public async Task Operations_over_the_charge_threshold_log_as_warnings()
    {
        var logger = new ListLogger<CosmosRequestStore>();
        var options = CosmosServerFixture.Configure(new CosmosDbOptions
        {
            AccountEndpoint = server.Options.AccountEndpoint,
            Database = server.Options.Database,
            RequestChargeWarningThreshold = -1, // every charge, even the local server's, is above it
        });
        var store = new CosmosRequestStore(server.Client, Options.Create(options), logger);

        await store.CreateAsync(NewRequest("res-warn-" + _building, T0));

        Assert.Equal(LogLevel.Warning, Assert.Single(logger.Entries).Level);
    }

    [Fact]
    public async Task AddCosmosRequestStore_binds_configuration_creates_the_container_on_start_and_serves_requests()
    {
        var database = "di-" + Guid.NewGuid().ToString("N")[..8];
        await using var services = Services(new()
        {
            ["CosmosDb:Database"] = database,
            ["CosmosDb:CreateIfNotExists"] = "true",
        });
        var store = services.GetRequiredService<IRequestStore>();
        Assert.IsType<CosmosRequestStore>(store);
        Assert.False(await store.IsReachableAsync()); // nothing created yet

        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        Assert.True(await store.IsReachableAsync());
        var created = await store.CreateAsync(NewRequest("res-di-" + _building, T0));
        Assert.Equal(created.ETag, (await store.GetAsync(created.Value.Id, created.Value.ResidentId))!.ETag);
        var properties = (await services.GetRequiredService<CosmosClient>().GetContainer(database, "requests").ReadContainerAsync()).Resource;
        Assert.Equal("/residentId", properties.PartitionKeyPath);
    }

    [Fact]
    public async Task Without_create_if_not_exists_a_missing_container_is_reported_unreachable_not_created()
    {
        await using var services = Services(new() { ["CosmosDb:Database"] = "missing-" + Guid.NewGuid().ToString("N")[..8] });
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        Assert.False(await services.GetRequiredService<IRequestStore>().IsReachableAsync());
        var warning = Assert.Single(services.GetRequiredService<ListLogger<CosmosRequestStore>>().Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, warning.Fields["StatusCode"]);
        Assert.NotEqual(0, warning.Fields["SubStatusCode"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not a uri")]
    [InlineData("http://my-account.documents.azure.com/")]
    public void Configuration_without_a_usable_endpoint_is_refused(string? endpoint)
    {
        using var services = new ServiceCollection()
            .AddLogging()
            .AddCosmosRequestStore(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CosmosDb:AccountEndpoint"] = endpoint,
            }).Build())
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CosmosDbOptions>>().Value);
        Assert.Contains("AccountEndpoint", error.Message);
    }

    private ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var local = CosmosServerFixture.Configure(new CosmosDbOptions());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CosmosDb:AccountEndpoint"] = server.Options.AccountEndpoint,
            ["CosmosDb:Key"] = local.Key,
            ["CosmosDb:ConnectionMode"] = "Gateway",
            ["CosmosDb:LimitToEndpoint"] = "true",
        }).AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<ListLogger<CosmosRequestStore>>()
            .AddSingleton<ILogger<CosmosRequestStore>>(sp => sp.GetRequiredService<ListLogger<CosmosRequestStore>>())
            .AddCosmosRequestStore(configuration)
            .BuildServiceProvider();
    }
}
