using System.Data;
using Npgsql;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// Takes a checkpoint of the outbox in PostgreSQL: fixes the latest outbox sequence below which every row is committed,
/// digests the chain heads up to it (<see cref="CheckpointDigest"/>) and signs. One processor at a time: the others find
/// the advisory lock taken and skip.
/// </summary>
public sealed class AuditCheckpointer(string connectionString, CheckpointSigningKey key, TimeProvider timeProvider)
{
    /// <summary>The session advisory lock that makes one processor at a time take checkpoints ("OPCHKPT1").</summary>
    public const long AdvisoryLockKey = 0x4F5043484B505431;

    /// <summary>
    /// Takes a checkpoint, or returns null when another processor is taking one. <paramref name="whileLocked"/> (the
    /// file append) runs before the lock is released, so processors sharing a directory never write at once.
    /// </summary>
    public async Task<AuditCheckpoint?> TakeAsync(TimeSpan lockTimeout, Func<AuditCheckpoint, CancellationToken, Task>? whileLocked,
        CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (!await ScalarAsync<bool>(connection, "SELECT pg_try_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey)))
        {
            return null;
        }

        try
        {
            var sequence = await SettledSequenceAsync(connection, lockTimeout, cancellationToken);
            var digest = await DigestAsync(connection, sequence, cancellationToken);
            var checkpoint = AuditCheckpoint.Sign(key, sequence, digest, timeProvider.GetUtcNow());
            if (whileLocked is not null)
            {
                await whileLocked(checkpoint, cancellationToken);
            }

            return checkpoint;
        }
        finally
        {
            await ScalarAsync<bool>(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    /// <summary>
    /// The outbox's latest sequence with nothing below it still in flight. Sequences are taken when a row is inserted
    /// but become visible when its transaction commits, so a plain <c>max(sequence)</c> may pass over a smaller one
    /// that commits later (a checkpoint that left it out would fail verification ever after). <c>LOCK ... IN SHARE
    /// MODE</c> waits for every transaction that has written the table (an insert holds ROW EXCLUSIVE from before it
    /// draws its sequence until it ends) and holds back new writers only until the max is read.
    /// </summary>
    private static async Task<long> SettledSequenceAsync(NpgsqlConnection connection, TimeSpan lockTimeout, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await using (var timeout = new NpgsqlCommand($"SET LOCAL lock_timeout = {(long)Math.Ceiling(lockTimeout.TotalMilliseconds)}", connection, transaction))
        {
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var lockTable = new NpgsqlCommand("LOCK TABLE outbox_messages IN SHARE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var max = new NpgsqlCommand("SELECT coalesce(max(sequence), 0) FROM outbox_messages", connection, transaction);
        var sequence = (long)(await max.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return sequence;
    }

    /// <summary>The digest of the heads up to <paramref name="sequence"/>, straight from the unique index's order (uuid order is the text order).</summary>
    public static async Task<CheckpointDigest.Result> DigestAsync(NpgsqlConnection connection, long sequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var digest = new CheckpointDigest();
        await using (var heads = new NpgsqlCommand("""
            SELECT DISTINCT ON (order_id) order_id, order_sequence, hash FROM outbox_messages
            WHERE order_sequence > 0 AND sequence <= @sequence
            ORDER BY order_id, order_sequence DESC
            """, connection))
        {
            heads.Parameters.AddWithValue("sequence", sequence);
            await using var reader = await heads.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                digest.AddChain(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2));
            }
        }

        await using (var standalone = new NpgsqlCommand(
            "SELECT sequence, hash FROM outbox_messages WHERE order_sequence = 0 AND sequence <= @sequence ORDER BY sequence", connection))
        {
            standalone.Parameters.AddWithValue("sequence", sequence);
            await using var reader = await standalone.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                digest.AddStandalone(reader.GetInt64(0), reader.GetString(1));
            }
        }

        return digest.Complete();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
