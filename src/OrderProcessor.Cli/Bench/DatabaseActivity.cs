using Npgsql;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// The processor database's committed transactions and written rows so far (<c>pg_stat_database</c>), and the server's
/// write-ahead log (<c>pg_stat_wal</c>) and checkpoints (<c>pg_stat_bgwriter</c>), so the benchmark can say how much
/// PostgreSQL work one order costs and why that cost moves: on a larger database the same statements write more log, most
/// of it the full-page images of index pages touched for the first time since the last checkpoint.
/// </summary>
/// <remarks>
/// The log and the checkpoints are the whole server's: the benchmark's phases run one at a time. Needs PostgreSQL 14 or
/// later (<c>pg_stat_wal</c>).
/// </remarks>
public sealed record DatabaseActivity(long Commits, long RowsInserted, long RowsUpdated, long WalBytes, long FullPageImages, long Checkpoints)
{
    public static async Task<DatabaseActivity> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Each backend reports its counts lazily (busy ones about every second, idle ones later), so a reading taken
        // right after a phase is approximate by that much activity at either end.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // PostgreSQL 17 moved the checkpoint counts from pg_stat_bgwriter to pg_stat_checkpointer.
        var checkpoints = connection.PostgreSqlVersion.Major >= 17
            ? "SELECT num_timed + num_requested FROM pg_stat_checkpointer"
            : "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter";
        await using var command = new NpgsqlCommand(
            $"""
            SELECT d.xact_commit, d.tup_inserted, d.tup_updated, w.wal_bytes::bigint, w.wal_fpi, ({checkpoints})
            FROM pg_stat_database d, pg_stat_wal w
            WHERE d.datname = current_database()
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new DatabaseActivity(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    /// <summary>Per order, between <paramref name="before"/> and this reading.</summary>
    public DatabaseWork Since(DatabaseActivity before, int orders)
    {
        ArgumentNullException.ThrowIfNull(before);
        var per = Math.Max(1, orders);
        return new DatabaseWork(
            (double)(Commits - before.Commits) / per,
            (double)(RowsInserted - before.RowsInserted) / per,
            (double)(RowsUpdated - before.RowsUpdated) / per,
            (WalBytes - before.WalBytes) / 1024.0 / per,
            (double)(FullPageImages - before.FullPageImages) / per,
            Checkpoints - before.Checkpoints);
    }
}
