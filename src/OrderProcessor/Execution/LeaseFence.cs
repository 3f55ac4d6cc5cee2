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
}
