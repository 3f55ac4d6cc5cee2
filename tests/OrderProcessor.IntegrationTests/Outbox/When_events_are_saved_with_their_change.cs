using Microsoft.EntityFrameworkCore;
using OrderProcessor.Execution;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Persistence;

namespace OrderProcessor.IntegrationTests.Outbox;

/// <summary>
/// Outbox rows are inserted by one statement at the end of their save's first command (OutboxInsertInterceptor), not as
/// change-tracked entities: every field as written, in the order written (their sequence numbers follow it), in the same
/// transaction as the change, behind its lease fence; and a save with nothing else to send still writes them.
/// </summary>
public sealed class When_events_are_saved_with_their_change : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();

    public Task InitializeAsync() => _servers.InitializeAsync();

    public Task DisposeAsync() => _servers.DisposeAsync();

    /// <summary>Three events of one order, chained, the last with the fields a margin check's answer carries.</summary>
    private static List<OutboxMessage> ThreeEvents()
    {
        var now = ChainedOutboxRows.Now();
        var accepted = ChainedOutboxRows.Accepted(Guid.CreateVersion7(), now);
        var submitted = ChainedOutboxRows.Submitted(accepted, now);
        var answered = ChainedOutboxRows.Submitted(submitted, now);
        answered.ResponseAddress = "rabbitmq://localhost/requester";
        answered.RequestId = Guid.NewGuid();
        answered.TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        return [accepted, submitted, answered];
    }

    private async Task<List<OutboxMessage>> ReadAsync(IEnumerable<OutboxMessage> rows)
    {
        var ids = rows.Select(r => r.MessageId).ToList();
        await using var db = _servers.CreateDbContext();
        return await db.Outbox.AsNoTracking().Where(o => ids.Contains(o.MessageId)).OrderBy(o => o.Sequence).ToListAsync();
    }

    private static void AssertWrittenAsArmed(List<OutboxMessage> armed, List<OutboxMessage> read)
    {
        Assert.Equal(armed.Select(r => r.MessageId), read.Select(r => r.MessageId));
        foreach (var (expected, actual) in armed.Zip(read))
        {
            Assert.Equal(expected.OrderId, actual.OrderId);
            Assert.Equal(expected.OrderSequence, actual.OrderSequence);
            Assert.Equal(expected.MessageType, actual.MessageType);
            Assert.Equal(expected.Body, actual.Body);
            Assert.Equal(expected.CorrelationId, actual.CorrelationId);
            Assert.Equal(expected.CausationId, actual.CausationId);
            Assert.Equal(expected.CreatedAt, actual.CreatedAt);
            Assert.Equal(expected.ResponseAddress, actual.ResponseAddress);
            Assert.Equal(expected.RequestId, actual.RequestId);
            Assert.Equal(expected.TraceParent, actual.TraceParent);
            Assert.Equal(expected.PreviousHash, actual.PreviousHash);
            Assert.Equal(expected.Hash, actual.Hash);
            Assert.Equal(0, actual.Attempts);
            Assert.Null(actual.PublishedAt);
            Assert.Null(actual.ParkedAt);
        }
    }

    private static InboxMessage InboxRow() => new() { MessageId = Guid.NewGuid(), Consumer = "outbox-insert-test", ProcessedAt = DateTimeOffset.UtcNow };

    [Fact]
    public async Task Should_write_every_field_in_the_order_armed_with_the_change()
    {
        var rows = ThreeEvents();
        var change = InboxRow();
        await using (var db = _servers.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Inbox.Add(change);
            foreach (var row in rows)
            {
                db.ArmOutboxRow(row);
            }

            await db.SaveChangesAsync();
            Assert.Null(db.TakeOutboxRows());
            Assert.Empty(db.ChangeTracker.Entries<OutboxMessage>());
            await transaction.CommitAsync();
        }

        AssertWrittenAsArmed(rows, await ReadAsync(rows));
    }

    [Fact]
    public async Task Should_write_nothing_when_the_transaction_rolls_back()
    {
        var rows = ThreeEvents();
        await using (var db = _servers.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Inbox.Add(InboxRow());
            rows.ForEach(db.ArmOutboxRow);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.Empty(await ReadAsync(rows));
    }

    [Fact]
    public async Task Should_write_rows_armed_alone_in_a_save_with_nothing_else_to_send()
    {
        var rows = ThreeEvents();
        await using (var db = _servers.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            rows.ForEach(db.ArmOutboxRow);
            Assert.Equal(3, await db.SaveChangesAsync());
            await transaction.CommitAsync();
        }

        AssertWrittenAsArmed(rows, await ReadAsync(rows));
    }

    /// <summary>
    /// An EF query between arming and saving throws (it would otherwise carry the rows, or lose them) and leaves the rows
    /// armed: a caller that went on to save would still write them with its change.
    /// </summary>
    [Fact]
    public async Task Should_refuse_a_query_between_arming_and_saving_and_keep_the_rows_armed()
    {
        var rows = ThreeEvents();
        await using (var db = _servers.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            rows.ForEach(db.ArmOutboxRow);
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Inbox.AnyAsync());
            Assert.Contains("armed for the next save", thrown.Message, StringComparison.Ordinal);
            db.Inbox.Add(InboxRow());
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        AssertWrittenAsArmed(rows, await ReadAsync(rows));
    }

    /// <summary>
    /// Two writers deciding on one version of an order both take its next event sequence: the second insert violates the
    /// unique index, and the save throws what a conflict throws (the writer reads the order again and decides again), the
    /// same <see cref="DbUpdateException"/> as when EF inserted the row, with or without a change beside it.
    /// </summary>
    [Fact]
    public async Task Should_throw_a_conflict_when_an_event_sequence_is_taken()
    {
        var first = ThreeEvents();
        await using (var db = _servers.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            first.ForEach(db.ArmOutboxRow);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        foreach (var withChange in new[] { false, true })
        {
            var taken = ChainedOutboxRows.Submitted(first[0], ChainedOutboxRows.Now());
            await using var db = _servers.CreateDbContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            if (withChange)
            {
                db.Inbox.Add(InboxRow());
            }

            db.ArmOutboxRow(taken);
            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());
            Assert.IsAssignableFrom<DbUpdateException>(thrown);
            Assert.True(Consumers.DatabaseRetry.IsConflict(thrown), $"a taken sequence must read as a conflict: {thrown.GetType().Name}: {thrown.Message}");
        }

        Assert.Equal(3, (await ReadAsync(first)).Count);
    }

    /// <summary>
    /// Behind the lease fence, alone or with a change: under an epoch that was taken over, nothing of the save is written;
    /// under the lease held, all of it.
    /// </summary>
    [Fact]
    public async Task Should_write_no_row_of_a_fenced_save_under_a_lost_lease()
    {
        var old = LeaseHolders.Instance("old-writer", TimeSpan.FromSeconds(1));
        var current = LeaseHolders.Instance("new-writer", TimeSpan.FromSeconds(30));
        var oldEpoch = await OwnAsync(old, "u-outbox");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var epoch = await OwnAsync(current, "u-outbox");

        foreach (var withChange in new[] { false, true })
        {
            var refused = ThreeEvents();
            Assert.False(await FencedSaveAsync(refused, withChange, old.LeaseOwner, oldEpoch), "the old epoch's save must be refused");
            Assert.Empty(await ReadAsync(refused));

            var accepted = ThreeEvents();
            Assert.True(await FencedSaveAsync(accepted, withChange, current.LeaseOwner, epoch), "the holder's save passes");
            AssertWrittenAsArmed(accepted, await ReadAsync(accepted));
        }
    }

    private async Task<bool> FencedSaveAsync(List<OutboxMessage> rows, bool withChange, string owner, long epoch)
    {
        await using var db = _servers.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (withChange)
        {
            db.Inbox.Add(InboxRow());
        }

        rows.ForEach(db.ArmOutboxRow);
        if (!await LeaseFence.SaveChangesAsync(db, "u-outbox", owner, epoch, CancellationToken.None))
        {
            return false;
        }

        await transaction.CommitAsync();
        return true;
    }

    private async Task<long> OwnAsync(UserSessionOwnership instance, string user) =>
        await LeaseHolders.TryOwnAsync(_servers, instance, user) ?? throw new InvalidOperationException($"{instance.InstanceId} should hold {user}");
}
