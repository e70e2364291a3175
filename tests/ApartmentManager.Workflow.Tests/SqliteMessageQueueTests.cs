using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Workflow.Embedded.Queues;

namespace ApartmentManager.Workflow.Tests;

public sealed class SqliteMessageQueueTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("am-queue-").FullName;
    private readonly SqliteMessageQueue _queue;

    public SqliteMessageQueueTests() =>
        _queue = new SqliteMessageQueue(new SqliteDatabase(Path.Combine(_dir, "queues.db"), SqliteMessageQueue.Migrations), TimeProvider.System, maxAttempts: 3);

    [Fact]
    public async Task A_message_id_is_enqueued_once()
    {
        Assert.True(await _queue.EnqueueAsync("q", "m-1", "{}"));
        Assert.False(await _queue.EnqueueAsync("q", "m-1", "{\"other\":1}"));
        Assert.True(await _queue.EnqueueAsync("other-queue", "m-1", "{}"));

        var depth = (await _queue.DepthsAsync()).Single(d => d.Queue == "q");
        Assert.Equal(1, depth.Ready);
    }

    [Fact]
    public async Task A_leased_message_is_invisible_until_its_lease_ends_then_delivered_again()
    {
        await _queue.EnqueueAsync("q", "m-1", "body");

        var first = _queue.Receive("q", TimeSpan.FromMilliseconds(300));
        Assert.NotNull(first);
        Assert.Null(_queue.Receive("q", TimeSpan.FromMinutes(1))); // leased: a consumer that died still holds it

        await Task.Delay(400);
        var again = _queue.Receive("q", TimeSpan.FromMinutes(1));
        Assert.NotNull(again);
        Assert.Equal(2, again.Attempts);
        _queue.Complete(again);
        Assert.Null(_queue.Receive("q", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Failing_messages_are_dead_lettered_after_the_maximum_attempts_and_can_be_redriven()
    {
        await _queue.EnqueueAsync("q", "poison", "not json");
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var message = _queue.Receive("q", TimeSpan.FromMinutes(1))!;
            Assert.Equal(attempt, message.Attempts);
            Assert.Equal(attempt == 3, _queue.Fail(message, $"bad body {attempt}", TimeSpan.Zero));
        }

        Assert.Null(_queue.Receive("q", TimeSpan.FromMinutes(1)));
        var dead = Assert.Single(await _queue.DeadLettersAsync("q", 10));
        Assert.Equal("poison", dead.MessageId);
        Assert.Equal("bad body 3", dead.LastError);

        Assert.Equal(1, await _queue.RedriveAsync("q", null));
        var redriven = _queue.Receive("q", TimeSpan.FromMinutes(1));
        Assert.Equal(1, redriven!.Attempts);
        Assert.Empty(await _queue.DeadLettersAsync("q", 10));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
