using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Execution;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Persistence;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.HighAvailability;

/// <summary>
/// The fence on PostgreSQL's row locks: a result written under a user's lease (LeaseFence, FOR KEY SHARE) and the
/// statements that take or renew leases. Renewing must not wait for such a write (at 200 orders/s a renewal that waited
/// held every write of its users behind it), but taking the lease over must: otherwise the new holder could read the
/// orders before the old holder's last result commits, and act on a state that is about to change.
/// </summary>
public sealed class When_a_lease_changes_under_a_fenced_write(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();

    public Task InitializeAsync() => _servers.InitializeAsync();

    public Task DisposeAsync() => _servers.DisposeAsync();

    private static UserSessionOwnership Instance(string id, TimeSpan lease) => LeaseHolders.Instance(id, lease);

    private async Task<long> OwnAsync(UserSessionOwnership instance, string user)
    {
        var epoch = await LeaseHolders.TryOwnAsync(_servers, instance, user);
        Assert.True(epoch.HasValue, $"{instance.InstanceId} should hold {user}");
        return epoch.Value;
    }

    /// <summary>A write fenced on the lease, left open (its transaction holds the key-share lock) until disposed.</summary>
    private async Task<(OrderProcessorDbContext Db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction Transaction)> OpenFencedWriteAsync(
        UserSessionOwnership instance, string user, long epoch)
    {
        var db = _servers.CreateDbContext();
        var transaction = await db.Database.BeginTransactionAsync();
        Assert.True(await LeaseFence.HoldsAsync(db, user, instance.LeaseOwner, epoch, CancellationToken.None), "the fence should pass under the live lease");
        return (db, transaction);
    }

    [Fact]
    public async Task Should_renew_without_waiting_for_the_write()
    {
        var a = Instance("renewing", TimeSpan.FromSeconds(30));
        var epoch = await OwnAsync(a, "u-renew");
        var (db, transaction) = await OpenFencedWriteAsync(a, "u-renew", epoch);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var renewal = OwnAsync(a, "u-renew");
            var finished = await Task.WhenAny(renewal, Task.Delay(TimeSpan.FromSeconds(5)));
            output.WriteLine($"renewal with a fenced write open: {(finished == renewal ? $"{stopwatch.ElapsedMilliseconds} ms" : "still waiting after 5 s")}");
            Assert.Same(renewal, finished);
            Assert.Equal(epoch, await renewal);
        }
        finally
        {
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
            await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task Should_make_a_takeover_wait_for_the_write_and_refuse_the_old_epoch_after_it()
    {
        var a = Instance("old-holder", TimeSpan.FromSeconds(1));
        var b = Instance("new-holder", TimeSpan.FromSeconds(30));
        var epoch = await OwnAsync(a, "u-take");
        var (db, transaction) = await OpenFencedWriteAsync(a, "u-take", epoch);
        Task<long> takeover;
        try
        {
            // The old holder stops renewing; once the lease has run out by the database's clock, the other instance asks.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            takeover = OwnAsync(b, "u-take");
            var finished = await Task.WhenAny(takeover, Task.Delay(TimeSpan.FromSeconds(2)));
            output.WriteLine($"takeover with the old holder's fenced write open: {(finished == takeover ? "completed (wrong)" : "waiting after 2 s")}");
            Assert.NotSame(takeover, finished);
        }
        finally
        {
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
            await db.DisposeAsync();
        }

        var stopwatch = Stopwatch.StartNew();
        var newEpoch = await takeover.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"takeover done {stopwatch.ElapsedMilliseconds} ms after the write committed: epoch {epoch} → {newEpoch}");
        Assert.Equal(epoch + 1, newEpoch);

        await using var late = _servers.CreateDbContext();
        await using var lateTransaction = await late.Database.BeginTransactionAsync();
        Assert.False(await LeaseFence.HoldsAsync(late, "u-take", a.LeaseOwner, epoch, CancellationToken.None), "a write under the old epoch must be refused");
        Assert.True(await LeaseFence.HoldsAsync(late, "u-take", b.LeaseOwner, newEpoch, CancellationToken.None), "the new holder's writes pass");
    }

    private static InboxMessage Row() => new() { MessageId = Guid.NewGuid(), Consumer = "fence-test", ProcessedAt = DateTimeOffset.UtcNow };

    private async Task<bool> IsWrittenAsync(InboxMessage row)
    {
        await using var db = _servers.CreateDbContext();
        return await db.Inbox.AnyAsync(m => m.MessageId == row.MessageId);
    }

    /// <summary>
    /// The fence in the save's own round trip (LeaseFence.SaveChangesAsync): under an epoch that was taken over, the save
    /// writes nothing and says so; the new holder's save writes.
    /// </summary>
    [Fact]
    public async Task Should_write_nothing_in_a_fenced_save_under_a_lost_lease()
    {
        var a = Instance("old-saver", TimeSpan.FromSeconds(1));
        var b = Instance("new-saver", TimeSpan.FromSeconds(30));
        var epoch = await OwnAsync(a, "u-save");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var newEpoch = await OwnAsync(b, "u-save");

        var refused = Row();
        await using (var db = _servers.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Inbox.Add(refused);
            Assert.False(await LeaseFence.SaveChangesAsync(db, "u-save", a.LeaseOwner, epoch, CancellationToken.None), "the old epoch's save must be refused");
        }

        Assert.False(await IsWrittenAsync(refused), "a refused save must write nothing");

        var accepted = Row();
        await using (var db = _servers.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Inbox.Add(accepted);
            Assert.True(await LeaseFence.SaveChangesAsync(db, "u-save", b.LeaseOwner, newEpoch, CancellationToken.None), "the new holder's save passes");
            await transaction.CommitAsync();
        }

        Assert.True(await IsWrittenAsync(accepted));

        // With nothing to save, the answer is still the lease's.
        await using var empty = _servers.CreateDbContext();
        await using var emptyTransaction = await empty.Database.BeginTransactionAsync();
        Assert.False(await LeaseFence.SaveChangesAsync(empty, "u-save", a.LeaseOwner, epoch, CancellationToken.None));
        Assert.True(await LeaseFence.SaveChangesAsync(empty, "u-save", b.LeaseOwner, newEpoch, CancellationToken.None));
    }

    /// <summary>The fenced save holds the lease's key-share lock like the fence of its own: a takeover waits for its commit.</summary>
    [Fact]
    public async Task Should_make_a_takeover_wait_for_a_fenced_save()
    {
        var a = Instance("saving-holder", TimeSpan.FromSeconds(1));
        var b = Instance("waiting-holder", TimeSpan.FromSeconds(30));
        var epoch = await OwnAsync(a, "u-save-wait");
        var row = Row();
        var db = _servers.CreateDbContext();
        var transaction = await db.Database.BeginTransactionAsync();
        db.Inbox.Add(row);
        Assert.True(await LeaseFence.SaveChangesAsync(db, "u-save-wait", a.LeaseOwner, epoch, CancellationToken.None));
        Task<long> takeover;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            takeover = OwnAsync(b, "u-save-wait");
            var finished = await Task.WhenAny(takeover, Task.Delay(TimeSpan.FromSeconds(2)));
            output.WriteLine($"takeover with a fenced save open: {(finished == takeover ? "completed (wrong)" : "waiting after 2 s")}");
            Assert.NotSame(takeover, finished);
        }
        finally
        {
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
            await db.DisposeAsync();
        }

        Assert.Equal(epoch + 1, await takeover.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await IsWrittenAsync(row), "the save committed before the takeover");
    }

    /// <summary>A context built without the interceptor cannot save unfenced: the save throws before any commit.</summary>
    [Fact]
    public async Task Should_refuse_a_fenced_save_on_a_context_without_the_interceptor()
    {
        var a = Instance("bare-context", TimeSpan.FromSeconds(30));
        var epoch = await OwnAsync(a, "u-bare");
        var row = Row();
        await using (var db = new OrderProcessorDbContext(new DbContextOptionsBuilder<OrderProcessorDbContext>()
            .UseNpgsql(_servers.ConnectionString).UseSnakeCaseNamingConvention().Options))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Inbox.Add(row);
            await Assert.ThrowsAsync<InvalidOperationException>(() => LeaseFence.SaveChangesAsync(db, "u-bare", a.LeaseOwner, epoch, CancellationToken.None));
        }

        Assert.False(await IsWrittenAsync(row), "nothing may be written unfenced");
    }

    /// <summary>The fence costs no round trip of its own: it rides at the end of the save's command.</summary>
    [Fact]
    public async Task Should_send_the_fence_in_the_saves_own_command()
    {
        var commands = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string text && text.Contains("lease_fence", StringComparison.Ordinal))
                {
                    commands.Enqueue(text);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var a = Instance("one-trip", TimeSpan.FromSeconds(30));
        var epoch = await OwnAsync(a, "u-one-trip");
        await using var db = _servers.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var row = Row();
        db.Inbox.Add(row);
        Assert.True(await LeaseFence.SaveChangesAsync(db, "u-one-trip", a.LeaseOwner, epoch, CancellationToken.None));
        await transaction.CommitAsync();

        // Other classes' processors run in this process too; only a command with this save's insert counts.
        var save = Assert.Single(commands, c => c.Contains("INSERT INTO inbox_messages", StringComparison.Ordinal));
        output.WriteLine(save);
        Assert.EndsWith(LeaseFenceCall.Sql.Trim(), save.Trim(), StringComparison.Ordinal);
    }
}
