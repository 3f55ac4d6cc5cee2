using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// The check that makes a write fenced: inside the writing transaction, the user's lease must still be this instance's,
/// under the epoch the work was started with, by the database's clock. The row is key-share-locked until the commit: a
/// takeover changes the epoch, a key column (see <see cref="UserSessionOwnership.TryOwnAsync"/>), and so waits for this
/// write to commit; a renewal changes no key and waits for nothing. Many writes of one user hold the lock together.
/// </summary>
public static class LeaseFence
{
    /// <summary>The fence as a statement of its own, before the transaction's writes.</summary>
    public static async Task<bool> HoldsAsync(OrderProcessorDbContext db, string userId, string owner, long epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var command = await ContextCommand.CreateAsync(db, """
            SELECT 1 FROM user_session_leases
            WHERE user_id = $1 AND owner = $2 AND epoch = $3 AND expires_at > clock_timestamp()
            FOR KEY SHARE
            """, cancellationToken);
        if (command.Transaction is null)
        {
            throw new InvalidOperationException("The lease is checked inside the writing transaction: its lock lasts until that commit.");
        }

        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = epoch });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// Saves the context's changes behind the fence and commits them; false, with nothing written, when the lease is not
    /// held. A save of orders changed in place, the usual result of IBKR's, is one round trip: one command with no
    /// transaction of its own, which PostgreSQL commits at its end unless a statement raised (the fence among them;
    /// <see cref="OrderProcessorDbContext.TrySaveOrderUpdatesCommittedAsync"/>). Any other save runs in a transaction
    /// through <see cref="SaveChangesAsync"/>, then commits.
    /// </summary>
    public static async Task<bool> SaveChangesAndCommitAsync(OrderProcessorDbContext db, string userId, string owner, long epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("A save that commits itself runs outside any transaction of the caller's.");
        }

        db.ArmLeaseFence(new LeaseFenceCall(userId, owner, epoch));
        try
        {
            if (await db.TrySaveOrderUpdatesCommittedAsync(cancellationToken))
            {
                return true;
            }
        }
        catch (Exception exception) when (LeaseFenceCall.IsLost(exception))
        {
            return false;
        }
        finally
        {
            db.TakeLeaseFence();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await SaveChangesAsync(db, userId, owner, epoch, cancellationToken))
        {
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Saves the context's changes behind the fence, in the save's first round trip (<see cref="LeaseFenceInterceptor"/>):
    /// one round trip fewer than <see cref="HoldsAsync"/> and then the save, with the same lock held to the commit. False
    /// when the lease is not held: the transaction is aborted and nothing of it can commit (roll it back). A save with
    /// nothing to send still checks the fence, as a statement of its own.
    /// </summary>
    public static async Task<bool> SaveChangesAsync(OrderProcessorDbContext db, string userId, string owner, long epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The lease is checked inside the writing transaction: its lock lasts until that commit.");
        }

        db.ArmLeaseFence(new LeaseFenceCall(userId, owner, epoch));
        var (written, stillArmed) = (0, false);
        try
        {
            written = await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (LeaseFenceCall.IsLost(exception))
        {
            return false;
        }
        finally
        {
            stillArmed = db.TakeLeaseFence() is not null;
        }

        if (!stillArmed)
        {
            return true;
        }

        // Written, and the fence never sent: a context without the interceptor. Thrown before the caller commits, so the
        // unfenced writes are rolled back.
        if (written > 0)
        {
            throw new InvalidOperationException($"A fenced save wrote without its lease fence: the context has no {nameof(LeaseFenceInterceptor)}.");
        }

        // Nothing to send, so no write needed the fence; the caller is still told whether the lease holds.
        return await HoldsAsync(db, userId, owner, epoch, cancellationToken);
    }
}
