using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using OrderProcessor.Orders;

namespace OrderProcessor.Persistence;

/// <summary>
/// A save whose only changes are orders already in the database: one <c>UPDATE ... RETURNING xmin</c> per order, of the
/// columns EF's change tracker found changed, in one command that ends with what the unit of work armed (the lease fence,
/// the rate spend, its inbox and outbox rows; <see cref="OrderProcessorDbContextOptions.SaveCommandAppendixOrder"/>), as
/// EF's first command would. Every result of IBKR's (a claim, a send's answer, a fill) is such a save; through EF's
/// update pipeline (command batches, column modifications, SQL generated anew for each save, its result propagation) it
/// was the processor's largest single cost in the profiles of the benchmark. The statements are EF's own: the same
/// columns, each parameter made by the column's own type mapping (converters, <c>jsonb</c>), and the same concurrency
/// check (the <c>xmin</c> the order was read with). An update that matches nothing (the order moved on) makes the save
/// throw <see cref="DbUpdateConcurrencyException"/>, which every writer already decides again on.
/// <para>
/// A save can also run with no transaction of the caller's: sent without one (<see cref="OrderProcessorDbContext.TrySaveOrderUpdatesCommittedAsync"/>),
/// the command's statements run in PostgreSQL's implicit transaction, committed at its end unless one raised (the lease
/// fence, the rate spend, a taken event sequence), the save and its commit in one round trip instead of two. There an update
/// that matched nothing must raise too, or the rest would commit: it calls <c>order_update_conflict</c>, which raises
/// <see cref="ConflictSqlState"/>.
/// A failure once the command is sent (its answer lost, a cancellation, anything thrown while reading it) leaves the
/// outcome unknown, as a lost commit's answer did: the work's next write decides on the version it read and, if this one
/// committed, conflicts and reads the order again. Three things this relies on: <c>order_update_conflict</c> stays
/// <c>VOLATILE</c> (an <c>IMMUTABLE</c> one would be folded and raise on every save), no procedure the command calls
/// (<c>lease_fence</c>, <c>spend_rate_tokens</c>) ever commits, and the server's default isolation is READ COMMITTED,
/// which the explicit transaction used to set (a stricter one would raise serialization failures, read as conflicts).
/// A conflict is now an error PostgreSQL logs with its statement, where it was a silent update of no row.
/// </para>
/// <para>
/// Anything else (an order added, another kind of row, a context without the appended statements' interceptors)
/// is saved by EF. <see cref="OrderProcessorDbContext.WritesOrderUpdatesItself"/> turns this off (the tests compare both).
/// </para>
/// </summary>
internal sealed class OrderUpdateSave
{
    /// <summary>What <c>order_update_conflict</c> raises (see the OrderUpdateConflictFunction migration).</summary>
    public const string ConflictSqlState = "OPC01";

    // Per property of the model: its column as EF's SQL names it (quoted only where PostgreSQL needs it) and its type mapping.
    private static readonly ConcurrentDictionary<IProperty, (string Column, RelationalTypeMapping Mapping)> Columns = new();

    private readonly OrderProcessorDbContext _db;
    private readonly List<EntityEntry> _orders;

    private readonly ISqlGenerationHelper _sql;

    private readonly bool _committedByItself;

    private OrderUpdateSave(OrderProcessorDbContext db, List<EntityEntry> orders, bool committedByItself) =>
        (_db, _orders, _sql, _committedByItself) = (db, orders, db.GetService<ISqlGenerationHelper>(), committedByItself);

    /// <summary>
    /// The save, when every change the context tracks is an order modified in place, and the context is in a transaction
    /// (or, with <paramref name="committedByItself"/>, in none); otherwise null (EF saves).
    /// </summary>
    public static OrderUpdateSave? TryPrepare(OrderProcessorDbContext db, bool committedByItself = false)
    {
        if ((db.Database.CurrentTransaction is null) != committedByItself)
        {
            return null;
        }

        // Entries() detects changes first (once; EF's own save, if it comes to that, detects them again).
        var orders = new List<EntityEntry>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Unchanged or EntityState.Detached:
                    continue;
                case EntityState.Modified when entry.Entity is OrderSaga && WritableAsUpdate(entry):
                    orders.Add(entry);
                    continue;
                default:
                    return null;
            }
        }

        // By key, as EF orders a batch's updates: writers that change the same orders lock them in one order and so wait
        // for each other (and then conflict) instead of deadlocking.
        orders.Sort(static (a, b) => ((OrderSaga)a.Entity).OrderId.CompareTo(((OrderSaga)b.Entity).OrderId));
        return orders.Count == 0 ? null : new OrderUpdateSave(db, orders, committedByItself);
    }

    // Changed columns only, never the key or the row version (EF would refuse the first and the database writes the second),
    // and only of an order made of plain columns: a complex or owned part, or a navigation, would be EF's to write.
    private static bool WritableAsUpdate(EntityEntry entry)
    {
        if (entry.Metadata.GetComplexProperties().Any() || entry.Metadata.GetNavigations().Any() || entry.Metadata.GetSkipNavigations().Any())
        {
            return false;
        }

        var any = false;
        foreach (var property in entry.Properties)
        {
            if (!property.IsModified)
            {
                continue;
            }

            if (property.Metadata.IsKey() || property.Metadata.IsConcurrencyToken)
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <summary>Sends the command and reads each order's new <c>xmin</c>; returns the rows written, as EF's save does.</summary>
    public async Task<int> RunAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        await using var command = await ContextCommand.CreateAsync(_db, string.Empty, cancellationToken);
        var sql = new StringBuilder();
        IProperty? version = null;
        for (var i = 0; i < _orders.Count; i++)
        {
            version = AppendUpdate(sql, command, _orders[i], i, _sql, _committedByItself);
        }

        command.CommandText = sql.ToString();
        foreach (var appendix in OrderProcessorDbContextOptions.SaveCommandAppendixOrder)
        {
            appendix.AppendArmedTo(command, _db);
        }

        var versions = new uint?[_orders.Count];
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; i < _orders.Count; i++)
            {
                if (i > 0 && !await reader.NextResultAsync(cancellationToken))
                {
                    throw new InvalidOperationException($"The save's command returned {i} results for {_orders.Count} updates.");
                }

                versions[i] = await reader.ReadAsync(cancellationToken) ? reader.GetFieldValue<uint>(0) : null;
            }

            // The appended statements return nothing, but one may raise (a lease gone, a rate short): read to the end, so
            // that it is thrown here, before anything is taken as written.
            while (await reader.NextResultAsync(cancellationToken))
            {
            }
        }
        catch (PostgresException exception) when (exception.SqlState == ConflictSqlState)
        {
            throw new DbUpdateConcurrencyException($"An order of the save changed since it was read ({exception.MessageText}).", exception);
        }
        catch (DbException exception)
        {
            // The shape EF gives a failed save, which the writers' classifications (conflict, outage, lease lost) expect.
            throw new DbUpdateException("An error occurred while saving the order updates. See the inner exception for details.", exception);
        }

        // In the caller's transaction an update that matched nothing raised nothing: the caller, which never commits after
        // a failed save, rolls the rest of the command back.
        if (Array.IndexOf(versions, null) is var missing and >= 0)
        {
            throw new DbUpdateConcurrencyException(
                $"The update of order {_orders[missing].Property(nameof(OrderSaga.OrderId)).CurrentValue} matched no row: it changed since it was read.");
        }

        for (var i = 0; i < _orders.Count; i++)
        {
            _orders[i].Property(version!.Name).CurrentValue = versions[i];
        }

        if (acceptAllChangesOnSuccess)
        {
            _db.ChangeTracker.AcceptAllChanges();
        }

        return _orders.Count;
    }

    /// <summary>Appends one order's statement and its parameters; returns its row version's property.</summary>
    private static IProperty AppendUpdate(StringBuilder sql, DbCommand command, EntityEntry entry, int index, ISqlGenerationHelper helper,
        bool raiseOnConflict)
    {
        var entityType = entry.Metadata;
        sql.Append(raiseOnConflict ? "WITH u AS (UPDATE " : "UPDATE ").Append(helper.DelimitIdentifier(entityType.GetTableName()!)).Append(" SET ");
        var column = 0;
        IProperty? version = null;
        foreach (var property in entry.Properties)
        {
            if (property.Metadata.IsConcurrencyToken)
            {
                version = property.Metadata;
            }

            if (!property.IsModified)
            {
                continue;
            }

            var name = $"u{index}_{column}";
            var (columnName, mapping) = ColumnOf(property.Metadata, helper);
            sql.Append(column++ == 0 ? string.Empty : ", ").Append(columnName).Append(" = @").Append(name);
            command.Parameters.Add(mapping.CreateParameter(command, name, property.CurrentValue, property.Metadata.IsNullable));
        }

        if (version is null)
        {
            throw new InvalidOperationException($"{entityType.DisplayName()} has no row version to check an update against.");
        }

        var key = entityType.FindPrimaryKey()!.Properties.Single();
        var (keyColumn, keyMapping) = ColumnOf(key, helper);
        var (versionColumn, versionMapping) = ColumnOf(version, helper);
        sql.Append(" WHERE ").Append(keyColumn).Append(" = @u").Append(index).Append("_key AND ")
            .Append(versionColumn).Append(" = @u").Append(index).Append("_version RETURNING ").Append(versionColumn);
        if (raiseOnConflict)
        {
            // COALESCE evaluates the conflict's call only when the update matched nothing. Measured alone, this form costs
            // PostgreSQL about 0.04 ms more per save than the plain update, which a save in the caller's transaction keeps.
            sql.Append(") SELECT COALESCE((SELECT ").Append(versionColumn).Append(" FROM u), order_update_conflict(@u").Append(index).Append("_key))");
        }

        sql.Append(";\n");
        command.Parameters.Add(keyMapping.CreateParameter(command, $"u{index}_key", entry.Property(key.Name).CurrentValue, nullable: false));
        command.Parameters.Add(versionMapping.CreateParameter(command, $"u{index}_version", entry.Property(version.Name).OriginalValue, nullable: false));
        return version;
    }

    private static (string Column, RelationalTypeMapping Mapping) ColumnOf(IProperty property, ISqlGenerationHelper helper) =>
        Columns.GetOrAdd(property, static (p, h) => (h.DelimitIdentifier(p.GetColumnName()), p.GetRelationalTypeMapping()), helper);
}
