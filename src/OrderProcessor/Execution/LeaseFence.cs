using Microsoft.EntityFrameworkCore;
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
        var held = await db.Database.SqlQuery<long>($"""
            SELECT epoch AS "Value" FROM user_session_leases
            WHERE user_id = {userId} AND owner = {owner} AND epoch = {epoch} AND expires_at > clock_timestamp()
            FOR KEY SHARE
            """).ToListAsync(cancellationToken);
        return held.Count == 1;
    }
}
