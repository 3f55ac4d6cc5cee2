using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
public sealed class LeaseFenceInterceptor : DbCommandInterceptor
{
    public static LeaseFenceInterceptor Instance { get; } = new();

    private LeaseFenceInterceptor()
    {
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Append(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Append(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Append(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Append(command, eventData);
        return ValueTask.FromResult(result);
    }

    private static void Append(DbCommand command, CommandEventData eventData)
    {
        if (eventData.Context is not OrderProcessorDbContext db || db.TakeLeaseFence() is not { } fence)
        {
            return;
        }

        if (eventData.CommandSource != CommandSource.SaveChanges)
        {
            throw new InvalidOperationException($"A lease fence was armed, but the next command came from {eventData.CommandSource}, not a save.");
        }

        if (command.Transaction is null)
        {
            throw new InvalidOperationException("A lease fence is armed only inside the writing transaction: its lock lasts until that commit.");
        }

        if (command.Parameters.Cast<DbParameter>().Any(p => string.IsNullOrEmpty(p.ParameterName)))
        {
            throw new InvalidOperationException("The save's command uses positional parameters; the lease fence cannot be added to it.");
        }

        var text = command.CommandText.TrimEnd();
        command.CommandText = (text.EndsWith(';') ? text : text + ";") + "\n" + LeaseFenceCall.Sql;
        command.Parameters.Add(new NpgsqlParameter<string>(LeaseFenceCall.UserParameter, fence.UserId));
        command.Parameters.Add(new NpgsqlParameter<string>(LeaseFenceCall.OwnerParameter, fence.Owner));
        command.Parameters.Add(new NpgsqlParameter<long>(LeaseFenceCall.EpochParameter, fence.Epoch));
    }
}
