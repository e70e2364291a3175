using System.Globalization;
using ApartmentManager.Domain;
using ApartmentManager.DurableWorker;
using ApartmentManager.Workflow;
using ApartmentManager.Workflow.Durable;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using ApartmentManager.Tests.Shared;

namespace ApartmentManager.Functions.Tests.AzureStorage;

/// <summary>
/// The app's orchestrator on Durable Functions' default storage backend (AzureStorageOrchestrationService on Azurite),
/// in a worker process that is killed outright, several times, while requests are in the middle of the pipeline, and
/// started again. Every request must settle (resolved), every action must reach its system, and no action may be
/// carried out twice. The actions go through the app's own executor and webhook gateways to a signed-webhook receiver
/// in this process, which counts deliveries per idempotency key. Sizes: KILL_TEST_REQUESTS (default 12),
/// KILL_TEST_KILLS (default 3), KILL_TEST_SEED; tests/benchmarks/durable-kill-test.sh runs a larger one.
/// </summary>
public sealed class AzureStorageKillTests(ITestOutputHelper output)
{

    [Fact]
    public async Task Killing_the_worker_mid_pipeline_loses_no_request_and_carries_no_action_out_twice()
    {
        var requests = Setting("KILL_TEST_REQUESTS", 12);
        var kills = Setting("KILL_TEST_KILLS", 3);
        var seed = Setting("KILL_TEST_SEED", Environment.TickCount & 0xFFFF);
        var random = new Random(seed);
        // Generous: the machine may be busy (a dead worker's messages return after the visibility timeout).
        var patience = TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(5 * requests + 20 * kills);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var azurite = await Azurite.StartAsync();
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await using var receiver = await ActionReceiver.StartAsync(secret, TimeSpan.FromMilliseconds(50));
        var data = Directory.CreateTempSubdirectory("durable-kill-").FullName;
        var stepLog = Path.Combine(data, "steps.log");
        var taskHub = "killtest" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var environment = new Dictionary<string, string>
        {
            ["DurableWorker__StorageConnectionString"] = azurite.ConnectionString,
            ["DurableWorker__TaskHub"] = taskHub,
            ["DurableWorker__StepMilliseconds"] = "100",
            ["DurableWorker__StepLog"] = stepLog,
            ["Storage__DataDirectory"] = data,
            ["Execution__Mode"] = "Webhook",
            ["Execution__Webhook__WorkOrdersUrl"] = new Uri(receiver.BaseAddress, "work-orders").ToString(),
            ["Execution__Webhook__NotificationsUrl"] = new Uri(receiver.BaseAddress, "notifications").ToString(),
            ["Execution__Webhook__LedgerUrl"] = new Uri(receiver.BaseAddress, "ledger").ToString(),
            ["Execution__Webhook__SigningSecret"] = secret,
        };

        // The client side, as a Functions trigger has it: the app's gateway over a DurableTaskClient, here through an
        // API-only sidecar in this process over the same task hub (so it keeps working while the worker is dead).
        var clientService = AzureStorageTaskHub.Create(azurite.ConnectionString, taskHub, "test-client", NullLoggerFactory.Instance);
        await clientService.CreateIfNotExistsAsync();
        await using var sidecar = await TaskHubSidecar.StartAsync(clientService, TaskHubGrpcServerMode.ApiServerOnly, NullLoggerFactory.Instance);
        using var channel = GrpcChannel.ForAddress(sidecar.Address);
        await using var client = new GrpcDurableTaskClient("kill-test", new GrpcDurableTaskClientOptions { Channel = channel }, NullLogger.Instance);
        var gateway = new DurableWorkflowGateway(new DurableClientScope(client), NullLogger<DurableWorkflowGateway>.Instance);

        var ids = Enumerable.Range(1, requests).Select(i => $"req_kill_{i:000}").ToList();
        var early = ids.Take((requests + 1) / 2).ToList();
        var late = ids.Skip(early.Count).ToList();
        foreach (var id in early)
        {
            await gateway.StartAsync(id, "res-1");
        }

        var worker = await DurableWorkerProcess.StartAsync(environment);
        var killed = 0;
        try
        {
            for (var k = 0; k < kills; k++)
            {
                // Let this worker get somewhere (a random number of activity executions), then kill it mid-stride.
                var target = StepsDone(stepLog) + random.Next(3, 15);
                await WaitUntilAsync(() => StepsDone(stepLog) >= target, $"kill {k + 1}: the worker to run {target} activities", worker, patience);
                worker.Kill();
                killed++;
                if (k == 0)
                {
                    // Requests that arrive while no worker runs wait in the task hub.
                    foreach (var id in late)
                    {
                        await gateway.StartAsync(id, "res-1");
                    }
                }
                worker = await DurableWorkerProcess.StartAsync(environment);
            }
            if (kills == 0)
            {
                foreach (var id in late)
                {
                    await gateway.StartAsync(id, "res-1");
                }
            }

            await WaitUntilAsync(async () => (await Task.WhenAll(ids.Select(id => client.GetInstanceAsync(id)))).All(i => i is { IsCompleted: true }),
                "every request to settle", worker, patience);
        }
        finally
        {
            worker.Dispose();
        }

        var instances = await Task.WhenAll(ids.Select(id => client.GetInstanceAsync(id, getInputsAndOutputs: true)));
        var resolved = instances.Count(i => i is { RuntimeStatus: OrchestrationRuntimeStatus.Completed }
            && i.ReadOutputAs<WorkflowResult>() is { Status: RequestStatus.Resolved });
        var deliveries = receiver.Deliveries.ToList();
        var expectedKeys = ids.SelectMany(ExecutingSteps.ActionKeys).ToHashSet();
        var byKey = deliveries.GroupBy(d => d.IdempotencyKey).ToDictionary(g => g.Key, g => g.ToList());
        var lostActions = expectedKeys.Count(k => !byKey.ContainsKey(k));
        var resent = deliveries.Count - byKey.Count;
        // Carried out twice: one action under two keys, or one key carrying two different actions.
        var twice = byKey.Count(g => g.Value.Select(d => (d.Path, d.Data)).Distinct().Count() > 1) + byKey.Keys.Count(k => !expectedKeys.Contains(k));
        var stepRuns = File.ReadAllLines(stepLog).Select(l => l.Split('\t')).Where(f => f.Length == 3).ToList();
        var rerun = stepRuns.GroupBy(f => (f[0], f[1])).Sum(g => g.Count() - 1);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Azure Storage kill test (seed {seed}): {requests} requests, {killed} kills, {resolved} resolved, {requests - resolved} lost; "
            + $"{expectedKeys.Count} actions, {lostActions} lost, {twice} carried out twice, {resent} webhooks re-sent with the same key after a kill; "
            + $"{stepRuns.Count} activity executions, {rerun} repeated (the engine delivers activities at least once); {clock.Elapsed.TotalSeconds:0} s."));
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
        }

        Assert.Equal(kills, killed);
        Assert.Equal(requests, resolved);
        Assert.Equal(0, lostActions);
        Assert.Equal(0, twice);
        Assert.Equal(0, receiver.Unsigned);
        // Each request ran its three actions through the executor in this order; redeliveries keep their key.
        Assert.Equal(expectedKeys.Order(), byKey.Keys.Order());
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static int StepsDone(string stepLog) => File.Exists(stepLog) ? File.ReadAllLines(stepLog).Length : 0;

    private static Task WaitUntilAsync(Func<bool> done, string what, ChildProcess worker, TimeSpan patience) =>
        WaitUntilAsync(() => Task.FromResult(done()), what, worker, patience);

    private static async Task WaitUntilAsync(Func<Task<bool>> done, string what, ChildProcess worker, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline || worker.HasExited)
            {
                throw new TimeoutException($"Gave up waiting for {what} ({(worker.HasExited ? "the worker exited" : $"{patience.TotalSeconds:0} s")}). Worker output:\n{worker.Output}");
            }
            await Task.Delay(100);
        }
    }
}
