using Npgsql;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// The processor database's committed transactions and written rows so far (<c>pg_stat_database</c>), so the benchmark
/// can say how much PostgreSQL work one order costs.
/// </summary>
public sealed record DatabaseActivity(long Commits, long RowsInserted, long RowsUpdated)
{
    public static async Task<DatabaseActivity> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Each backend reports its counts lazily (busy ones about every second, idle ones later), so a reading taken
        // right after a phase is approximate by that much activity at either end.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT xact_commit, tup_inserted, tup_updated FROM pg_stat_database WHERE datname = current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new DatabaseActivity(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Per order, between <paramref name="before"/> and this reading.</summary>
    public DatabaseWork Since(DatabaseActivity before, int orders) => new(
        (double)(Commits - before.Commits) / orders,
        (double)(RowsInserted - before.RowsInserted) / orders,
        (double)(RowsUpdated - before.RowsUpdated) / orders);
}

/// <summary>PostgreSQL work per order: committed transactions, rows inserted and rows updated.</summary>
public sealed record DatabaseWork(double CommitsPerOrder, double RowsInsertedPerOrder, double RowsUpdatedPerOrder);
