using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.IntegrationTests.Outbox;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.IntegrationTests.Lifecycle;

/// <summary>
/// A save whose only changes are orders modified in place is written by OrderUpdateSave, not EF's update pipeline. It must
/// be indistinguishable from EF's: the same row (every column, converted as EF converts it), the same new row version, the
/// same conflict when the order moved on, the same statements armed after it (the lease fence refusing a lost lease, the
/// outbox rows), and EF for anything else.
/// </summary>
public sealed class When_orders_are_updated_by_the_hand_written_save : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();

    public Task InitializeAsync() => _servers.InitializeAsync();

    public Task DisposeAsync() => _servers.DisposeAsync();

    private async Task<OrderSaga> InsertAsync(string user, DateTimeOffset? created = null)
    {
        var now = created ?? DateTimeOffset.UtcNow;
        var order = DueOrder.Of(user, OrderStatus.Submitting, OrderWork.None, now, now);
        order.LimitPrice = 101.25m;
        order.OrderType = OrderType.Limit;
        await using var db = _servers.CreateDbContext();
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        return order;
    }

    /// <summary>Changes of every kind of column: enums, decimals, nulls set and cleared, times, jsonb, booleans, counters.</summary>
    private static void Change(OrderSaga order, DateTimeOffset at)
    {
        order.Status = OrderStatus.PartiallyFilled;
        order.BrokerOrderId = "1370093239";
        order.BrokerStatus = "Submitted";
        order.FilledQuantity = 3.5m;
        order.AveragePrice = 101.123456m;
        order.LimitPrice = null;
        order.WorkDue = OrderWork.Cancel;
        order.WorkDueAt = at.AddSeconds(5);
        order.FirstSentAt = at;
        order.CancelRequested = true;
        order.CancelReason = "user asked";
        order.PendingModification = """{"quantity": 7, "limitPrice": 100.5}""";
        order.AlgoParameters = """{"maxPctVol": "0.1"}""";
        order.TimeInForce = TimeInForce.GoodTillCancelled;
        order.UnlistedPolls = 2;
        order.LastEventSequence = 4;
        order.LastEventHash = new string('a', 64);
        order.UpdatedAt = at;
    }

    /// <summary>The stored row as PostgreSQL renders it, without the columns that differ between two orders by design.</summary>
    private async Task<string> RowAsync(Guid orderId)
    {
        await using var connection = new NpgsqlConnection(_servers.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (to_jsonb(o) - 'order_id' - 'client_order_id' - 'correlation_id')::text FROM orders o WHERE order_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = orderId });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<uint> XminAsync(Guid orderId)
    {
        await using var connection = new NpgsqlConnection(_servers.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xmin FROM orders WHERE order_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = orderId });
        return (uint)(await command.ExecuteScalarAsync())!;
    }

    private async Task<int> SaveAsync(OrderSaga order, bool handWritten, Action<OrderSaga> change)
    {
        await using var db = _servers.CreateDbContext();
        db.WritesOrderUpdatesItself = handWritten;
        var copy = order.Copy();
        db.Orders.Attach(copy);
        change(copy);
        await using var transaction = await db.Database.BeginTransactionAsync();
        Assert.NotNull(OrderUpdateSave.TryPrepare(db));
        var written = await db.SaveChangesAsync();
        Assert.Equal(handWritten, db.LastSaveWroteOrdersItself);
        await transaction.CommitAsync();
        Assert.Equal(EntityState.Unchanged, db.Entry(copy).State);
        order.Version = copy.Version;
        return written;
    }

    [Fact]
    public async Task Should_write_the_same_row_and_row_version_as_efs_update()
    {
        var at = DateTimeOffset.UtcNow;
        var (mine, efs) = (await InsertAsync("u-hand", at), await InsertAsync("u-hand", at));

        Assert.Equal(1, await SaveAsync(mine, handWritten: true, o => Change(o, at)));
        Assert.Equal(1, await SaveAsync(efs, handWritten: false, o => Change(o, at)));

        var (mineRow, efsRow) = (await RowAsync(mine.OrderId), await RowAsync(efs.OrderId));
        Assert.Equal(efsRow, mineRow);
        Assert.Contains("\"status\": \"PartiallyFilled\"", mineRow, StringComparison.Ordinal);
        Assert.Equal(7, JsonDocument.Parse(mineRow).RootElement.GetProperty("pending_modification").GetProperty("quantity").GetInt32());
        Assert.Equal(await XminAsync(mine.OrderId), mine.Version);

        // Written again from the version it read back: its check passes, as EF's would.
        Assert.Equal(1, await SaveAsync(mine, handWritten: true, o => o.Status = OrderStatus.Filled));
        Assert.Equal(await XminAsync(mine.OrderId), mine.Version);
    }

    /// <summary>
    /// Two orders in one save (a submission group's answer), one of them changed by someone else since it was read, first or
    /// second in the command: the save throws what EF's throws, which every writer decides again on (it never commits after
    /// a failed save).
    /// </summary>
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Should_throw_a_conflict_when_an_order_moved_on(bool handWritten, bool staleFirst)
    {
        var (a, b) = (await InsertAsync("u-moved"), await InsertAsync("u-moved"));
        var (order, fresh) = (a.OrderId.CompareTo(b.OrderId) < 0) == staleFirst ? (a, b) : (b, a);
        var stale = order.Copy();
        await SaveAsync(order, handWritten: false, o => o.BrokerStatus = "moved on");

        await using var db = _servers.CreateDbContext();
        db.WritesOrderUpdatesItself = handWritten;
        var freshCopy = fresh.Copy();
        db.Orders.AttachRange(freshCopy, stale);
        freshCopy.Status = stale.Status = OrderStatus.Filled;
        await using var transaction = await db.Database.BeginTransactionAsync();
        Assert.NotNull(OrderUpdateSave.TryPrepare(db));
        db.ArmOutboxRow(ChainedOutboxRows.Accepted(order.OrderId, ChainedOutboxRows.Now()));
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());

        Assert.IsType<DbUpdateConcurrencyException>(thrown);
        Assert.True(Consumers.DatabaseRetry.IsConflict(thrown));
        Assert.Equal(EntityState.Modified, db.Entry(stale).State);
    }

    /// <summary>
    /// Committed by itself (no transaction of the caller's), two orders and an event, one order changed by someone else since
    /// it was read, first or second in the command: the conflict raises, and nothing of the command is written.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Should_write_nothing_of_a_save_committed_by_itself_when_an_order_moved_on(bool staleFirst)
    {
        var (a, b) = (await InsertAsync("u-alone"), await InsertAsync("u-alone"));
        var (order, fresh) = (a.OrderId.CompareTo(b.OrderId) < 0) == staleFirst ? (a, b) : (b, a);
        var stale = order.Copy();
        await SaveAsync(order, handWritten: true, o => o.BrokerStatus = "moved on");
        var (freshBefore, before) = (await RowAsync(fresh.OrderId), await RowAsync(order.OrderId));

        await using (var db = _servers.CreateDbContext())
        {
            var freshCopy = fresh.Copy();
            db.Orders.AttachRange(freshCopy, stale);
            freshCopy.Status = stale.Status = OrderStatus.Filled;
            db.ArmOutboxRow(ChainedOutboxRows.Accepted(fresh.OrderId, ChainedOutboxRows.Now()));
            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => db.TrySaveOrderUpdatesCommittedAsync(CancellationToken.None));
            Assert.IsType<DbUpdateConcurrencyException>(thrown);
            Assert.True(Consumers.DatabaseRetry.IsConflict(thrown));
            Assert.False(db.LastSaveWroteOrdersItself);
        }

        Assert.Equal(before, await RowAsync(order.OrderId));
        Assert.Equal(freshBefore, await RowAsync(fresh.OrderId));
        await using var read = _servers.CreateDbContext();
        Assert.False(await read.Outbox.AnyAsync(o => o.OrderId == fresh.OrderId));
    }

    /// <summary>Committed by itself: written and committed in its one command, with a new row version for each order.</summary>
    [Fact]
    public async Task Should_commit_a_save_committed_by_itself_with_its_events()
    {
        var (a, b) = (await InsertAsync("u-alone-ok"), await InsertAsync("u-alone-ok"));
        await using (var db = _servers.CreateDbContext())
        {
            var (copyA, copyB) = (a.Copy(), b.Copy());
            db.Orders.AttachRange(copyA, copyB);
            copyA.Status = copyB.Status = OrderStatus.Submitted;
            db.ArmOutboxRow(ChainedOutboxRows.Accepted(a.OrderId, ChainedOutboxRows.Now()));
            Assert.True(await db.TrySaveOrderUpdatesCommittedAsync(CancellationToken.None));
            Assert.Null(db.Database.CurrentTransaction);
            (a.Version, b.Version) = (copyA.Version, copyB.Version);
        }

        Assert.Equal(await XminAsync(a.OrderId), a.Version);
        Assert.Equal(await XminAsync(b.OrderId), b.Version);
        Assert.Contains("\"status\": \"Submitted\"", await RowAsync(b.OrderId), StringComparison.Ordinal);
        await using var read = _servers.CreateDbContext();
        Assert.Equal(1, await read.Outbox.CountAsync(o => o.OrderId == a.OrderId));
    }

    /// <summary>Two orders and the command's inbox row in one save: each order gets its own new row version, the row is written.</summary>
    [Fact]
    public async Task Should_give_each_order_of_a_save_its_own_row_version()
    {
        var (a, b) = (await InsertAsync("u-pair"), await InsertAsync("u-pair"));
        var inbox = new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "hand-written-save-test", ProcessedAt = DateTimeOffset.UtcNow };
        await using (var db = _servers.CreateDbContext())
        {
            var (copyA, copyB) = (a.Copy(), b.Copy());
            db.Orders.AttachRange(copyB, copyA);
            copyA.BrokerStatus = "first";
            copyB.FilledQuantity = 1;
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.ArmInboxRow(inbox);
            Assert.Equal(2, await db.SaveChangesAsync());
            Assert.True(db.LastSaveWroteOrdersItself);
            Assert.Null(db.TakeInboxRow());
            await transaction.CommitAsync();
            (a.Version, b.Version) = (copyA.Version, copyB.Version);
        }

        Assert.Equal(await XminAsync(a.OrderId), a.Version);
        Assert.Equal(await XminAsync(b.OrderId), b.Version);
        Assert.Contains("\"broker_status\": \"first\"", await RowAsync(a.OrderId), StringComparison.Ordinal);
        Assert.Contains("\"filled_quantity\": 1", await RowAsync(b.OrderId), StringComparison.Ordinal);
        await using var read = _servers.CreateDbContext();
        Assert.True(await read.Inbox.AnyAsync(m => m.MessageId == inbox.MessageId));
    }

    /// <summary>An event whose sequence another writer took, armed after an update: the save throws what a conflict throws.</summary>
    [Fact]
    public async Task Should_throw_a_conflict_when_an_armed_event_sequence_is_taken()
    {
        var order = await InsertAsync("u-taken");
        var first = ChainedOutboxRows.Accepted(order.OrderId, ChainedOutboxRows.Now());
        await using (var db = _servers.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.ArmOutboxRow(first);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using (var db = _servers.CreateDbContext())
        {
            var copy = order.Copy();
            db.Orders.Attach(copy);
            copy.BrokerStatus = "with a taken sequence";
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.NotNull(OrderUpdateSave.TryPrepare(db));
            db.ArmOutboxRow(ChainedOutboxRows.Accepted(order.OrderId, ChainedOutboxRows.Now()));
            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());
            Assert.IsAssignableFrom<DbUpdateException>(thrown);
            Assert.True(Consumers.DatabaseRetry.IsConflict(thrown), $"a taken sequence must read as a conflict: {thrown.GetType().Name}: {thrown.Message}");
        }
    }

    /// <summary>
    /// Behind the lease fence, with an event armed, in the caller's transaction or committed by itself: under a lost lease
    /// nothing is written; under the lease held, both.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_end_its_command_with_the_fence_and_the_events_armed(bool committedByItself)
    {
        var old = LeaseHolders.Instance("old-writer", TimeSpan.FromSeconds(1));
        var current = LeaseHolders.Instance("new-writer", TimeSpan.FromSeconds(30));
        var oldEpoch = await LeaseHolders.TryOwnAsync(_servers, old, "u-fenced") ?? throw new InvalidOperationException("old-writer should own u-fenced");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var epoch = await LeaseHolders.TryOwnAsync(_servers, current, "u-fenced") ?? throw new InvalidOperationException("new-writer should own u-fenced");
        var order = await InsertAsync("u-fenced");
        var before = await RowAsync(order.OrderId);

        Assert.False(await FencedSaveAsync(order, old.LeaseOwner, oldEpoch, committedByItself), "the old epoch's save must be refused");
        Assert.Equal(before, await RowAsync(order.OrderId));
        await using (var read = _servers.CreateDbContext())
        {
            Assert.False(await read.Outbox.AnyAsync(o => o.OrderId == order.OrderId));
        }

        Assert.True(await FencedSaveAsync(order, current.LeaseOwner, epoch, committedByItself), "the holder's save passes");
        Assert.Contains("\"status\": \"Filled\"", await RowAsync(order.OrderId), StringComparison.Ordinal);
        await using (var read = _servers.CreateDbContext())
        {
            Assert.Equal(1, await read.Outbox.CountAsync(o => o.OrderId == order.OrderId));
        }
    }

    private async Task<bool> FencedSaveAsync(OrderSaga order, string owner, long epoch, bool committedByItself)
    {
        await using var db = _servers.CreateDbContext();
        var copy = order.Copy();
        db.Orders.Attach(copy);
        copy.Status = OrderStatus.Filled;
        db.ArmOutboxRow(ChainedOutboxRows.Accepted(order.OrderId, ChainedOutboxRows.Now()));
        if (committedByItself)
        {
            var saved = await LeaseFence.SaveChangesAndCommitAsync(db, "u-fenced", owner, epoch, CancellationToken.None);
            Assert.Equal(saved, db.LastSaveWroteOrdersItself);
            Assert.Null(db.TakeOutboxRows());
            return saved;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        if (!await LeaseFence.SaveChangesAsync(db, "u-fenced", owner, epoch, CancellationToken.None))
        {
            // Committed anyway, which no writer does: the fence's raise aborted the transaction, so nothing of it can commit.
            try
            {
                await transaction.CommitAsync();
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException)
            {
                // What a commit of an aborted transaction may say; either way nothing is written.
            }

            return false;
        }

        Assert.True(db.LastSaveWroteOrdersItself);
        Assert.Null(db.TakeOutboxRows());
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>An order added beside a changed one is EF's to save, the change included.</summary>
    [Fact]
    public async Task Should_leave_a_save_that_adds_an_order_to_ef()
    {
        var order = await InsertAsync("u-mixed");
        var now = DateTimeOffset.UtcNow;
        var added = DueOrder.Of("u-mixed", OrderStatus.Received, OrderWork.Submit, now, now);
        await using (var db = _servers.CreateDbContext())
        {
            var copy = order.Copy();
            db.Orders.Attach(copy);
            copy.BrokerStatus = "with an added one";
            db.Orders.Add(added);
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Null(OrderUpdateSave.TryPrepare(db));
            Assert.Equal(2, await db.SaveChangesAsync());
            await transaction.CommitAsync();
        }

        Assert.Contains("with an added one", await RowAsync(order.OrderId), StringComparison.Ordinal);
        Assert.Contains("\"status\": \"Received\"", await RowAsync(added.OrderId), StringComparison.Ordinal);
    }
}
