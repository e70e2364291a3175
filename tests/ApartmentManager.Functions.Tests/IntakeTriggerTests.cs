using ApartmentManager.Api.Messaging;
using Moq;
using ApartmentManager.Application.Ports;
using ApartmentManager.Functions.Messaging;
using ApartmentManager.Workflow;

namespace ApartmentManager.Functions.Tests;

public sealed class IntakeTriggerTests : IDisposable
{
    private readonly FunctionsTestHost host = new();

    private static readonly IntakeMessage Sms = new("res-9", "maple-court", "2A", "No heat in the bedroom since last night", "sms");

    private async Task DeliverAsync(IntakeMessage message, string? messageId)
    {
        var (function, scope) = host.Create<IntakeFunction>();
        using var _ = scope;
        var data = messageId is null ? null : new Dictionary<string, object?> { ["MessageId"] = messageId, ["DeliveryCount"] = 1 };
        var context = FunctionsTestHost.FunctionContextFor(scope.ServiceProvider, bindingData: data);
        await function.Run(message, host.Client.Object, context.Object, CancellationToken.None);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_creates_one_request_and_one_orchestration()
    {
        await DeliverAsync(Sms, "sb-msg-001");
        await DeliverAsync(Sms, "sb-msg-001");

        var stored = await host.Store.QueryAsync(new RequestQuery { ResidentId = "res-9" });
        var request = Assert.Single(stored.Items);
        Assert.Equal(ApartmentManager.Domain.Channel.Sms, request.Channel);
        Assert.Equal("sb-msg-001", request.IdempotencyKey);
        Assert.Equal(new List<(string, string)> { (RequestWorkflow.Name, request.Id) }, host.Scheduled);
    }

    [Fact]
    public async Task Different_messages_create_different_requests()
    {
        await DeliverAsync(Sms, "sb-msg-001");
        await DeliverAsync(Sms, "sb-msg-002");

        var stored = await host.Store.QueryAsync(new RequestQuery { ResidentId = "res-9" });
        Assert.Equal(2, stored.Items.Count);
        Assert.Equal(stored.Items.Select(r => r.Id).Order(), host.Scheduled.Select(s => s.InstanceId).Order());
    }

    [Fact]
    public async Task A_start_lost_after_storing_is_made_good_by_the_redelivery()
    {
        // First delivery stored the request, then the start failed (task hub unavailable), so the message is redelivered.
        var failing = true;
        host.Client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(
                It.IsAny<Microsoft.DurableTask.TaskName>(), It.IsAny<object?>(), It.IsAny<Microsoft.DurableTask.StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Returns((Microsoft.DurableTask.TaskName name, object? _, Microsoft.DurableTask.StartOrchestrationOptions? options, CancellationToken _) =>
            {
                host.Scheduled.Add((name.Name, options!.InstanceId!));
                if (failing)
                {
                    throw new TimeoutException("task hub unavailable");
                }
                host.Instances[options.InstanceId!] = new Microsoft.DurableTask.Client.OrchestrationMetadata(name.Name, options.InstanceId!);
                return Task.FromResult(options.InstanceId!);
            });

        await Assert.ThrowsAsync<TimeoutException>(() => DeliverAsync(Sms, "sb-msg-003"));
        failing = false;
        await DeliverAsync(Sms, "sb-msg-003");

        var request = Assert.Single((await host.Store.QueryAsync(new RequestQuery { ResidentId = "res-9" })).Items);
        Assert.Equal(2, host.Scheduled.Count);
        Assert.True(host.Instances.ContainsKey(request.Id));
    }

    [Fact]
    public async Task A_message_id_reused_for_different_content_is_poison()
    {
        await DeliverAsync(Sms, "sb-msg-004");

        var error = await Assert.ThrowsAsync<PoisonMessageException>(() => DeliverAsync(Sms with { Message = "Something else entirely" }, "sb-msg-004"));
        Assert.Contains("sb-msg-004", error.Message);
        Assert.Single(host.Scheduled);
    }

    [Theory]
    [InlineData(null, "maple-court", "2A", "No heat", "sms", "residentId")]
    [InlineData("res-9", "", "2A", "No heat", "sms", "building")]
    [InlineData("res-9", "maple-court", "2A", "", "sms", "message")]
    [InlineData("res-9", "maple-court", "2A", "No heat", "carrier-pigeon", "channel")]
    public async Task Invalid_messages_are_poison_and_store_nothing(string? resident, string building, string unit, string text, string channel, string field)
    {
        var error = await Assert.ThrowsAsync<PoisonMessageException>(() =>
            DeliverAsync(new IntakeMessage(resident, building, unit, text, channel), "sb-msg-bad"));

        Assert.Contains(field, error.Message);
        Assert.Empty((await host.Store.QueryAsync(new RequestQuery())).Items);
        Assert.Empty(host.Scheduled);
    }

    [Fact]
    public async Task A_message_without_an_id_cannot_be_made_idempotent_and_is_poison()
    {
        await Assert.ThrowsAsync<PoisonMessageException>(() => DeliverAsync(Sms, messageId: null));
        Assert.Empty(host.Scheduled);
    }

    public void Dispose() => host.Dispose();
}
