using System.Data.Common;
using Npgsql;

namespace OrderProcessor.Persistence;

/// <summary>
/// Puts an armed lease fence (<see cref="OrderProcessorDbContext.ArmLeaseFence"/>) at the end of the first command a
/// save sends, so the fence costs no round trip of its own. <c>lease_fence</c> is a procedure: it returns no result set,
/// so the save reads its own results as before (at the head it would not: EF matches each statement's row count by its
/// position). When the lease is not held it raises <see cref="LeaseFenceCall.LostSqlState"/>, which aborts the
/// transaction: the command's writes ran, but none can commit. When it is held, the lease row stays key-share-locked
/// until the commit, so a takeover waits for this write.
/// <para>
/// The lock is now taken after the command's row locks instead of before them. A takeover that had already changed the
/// lease and then needed one of those rows would deadlock with the write; PostgreSQL ends one of the two, and both
/// callers decide again on a conflict. A takeover happens only when a lease ran out, so this costs nothing in the
/// steady state. The claim's side of such a deadlock is retried at the worker's next claim.
/// </para>
/// </summary>
public sealed class LeaseFenceInterceptor : SaveCommandAppendix<LeaseFenceCall>
{
    public static LeaseFenceInterceptor Instance { get; } = new();

    private LeaseFenceInterceptor()
    {
    }

    protected override LeaseFenceCall? TakeArmed(OrderProcessorDbContext db) => db.TakeLeaseFence();

    protected override bool IsArmed(OrderProcessorDbContext db) => db.LeaseFenceArmed;

    protected override void Append(DbCommand command, LeaseFenceCall fence)
    {
        command.CommandText += LeaseFenceCall.Sql;
        command.Parameters.Add(new NpgsqlParameter<string>(LeaseFenceCall.UserParameter, fence.UserId));
        command.Parameters.Add(new NpgsqlParameter<string>(LeaseFenceCall.OwnerParameter, fence.Owner));
        command.Parameters.Add(new NpgsqlParameter<long>(LeaseFenceCall.EpochParameter, fence.Epoch));
    }
}
