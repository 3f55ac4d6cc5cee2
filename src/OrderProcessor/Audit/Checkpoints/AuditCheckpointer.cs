using Npgsql;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// Takes a checkpoint of the outbox in PostgreSQL: fixes the latest outbox sequence below which every row is committed
/// (without locking the table: see <see cref="SettledSequenceAsync"/>), digests the chain heads up to it (<see cref="CheckpointDigest"/>) and signs. One processor at a time: the others find
/// the advisory lock taken and skip.
/// </summary>
public sealed class AuditCheckpointer(string connectionString, CheckpointSigningKey key, TimeProvider timeProvider)
{
    /// <summary>The session advisory lock that makes one processor at a time take checkpoints ("OPCHKPT1").</summary>
    public const long AdvisoryLockKey = 0x4F5043484B505431;

    /// <summary>How often the writers in flight are looked for again while a checkpoint waits for them to end.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Takes a checkpoint, or says why none was taken: another processor is taking one (the advisory lock is held), or
    /// an outbox writer in flight did not end within <paramref name="writersTimeout"/>. <paramref name="whileLocked"/>
    /// (the file append) runs before the lock is released, so processors sharing a directory never write at once.
    /// </summary>
    public async Task<CheckpointAttempt> TakeAsync(TimeSpan writersTimeout, Func<AuditCheckpoint, CancellationToken, Task>? whileLocked,
        CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (!await ScalarAsync<bool>(connection, "SELECT pg_try_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey)))
        {
            return CheckpointAttempt.Skipped(CheckpointSkip.AnotherProcessor);
        }

        try
        {
            if (await SettledSequenceAsync(connection, writersTimeout, timeProvider, cancellationToken) is not { } sequence)
            {
                return CheckpointAttempt.Skipped(CheckpointSkip.WritersInFlight);
            }

            var digest = await DigestAsync(connection, sequence, cancellationToken);
            var checkpoint = AuditCheckpoint.Sign(key, sequence, digest, timeProvider.GetUtcNow());
            if (whileLocked is not null)
            {
                await whileLocked(checkpoint, cancellationToken);
            }

            return CheckpointAttempt.Taken(checkpoint);
        }
        finally
        {
            await ScalarAsync<bool>(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    /// <summary>
    /// The outbox's latest sequence with nothing below it still in flight, or null when a writer did not end in time.
    /// </summary>
    /// <remarks>
    /// Sequences are drawn when a row is inserted but become visible when its transaction commits, so a plain
    /// <c>max(sequence)</c> M may pass over a smaller sequence that commits later (a checkpoint that left it out would
    /// fail verification ever after). Nothing is locked to settle it, so no writer ever waits for a checkpoint and
    /// VACUUM is never in the way:
    /// <list type="number">
    /// <item>M is read in a statement of its own (its own snapshot).</item>
    /// <item>Then the transactions holding ROW EXCLUSIVE on <c>outbox_messages</c> are listed (L). An INSERT takes that
    /// lock when the statement starts, before its default draws the sequence, and keeps it until its transaction ends.
    /// A transaction that drew a sequence below M and had not committed when M was read therefore either ended before
    /// L was read (PostgreSQL marks a transaction committed before it releases its locks, so its rows are visible to
    /// every later snapshot) or is in L.</item>
    /// <item>Poll (every <see cref="PollInterval"/>) until no transaction of L holds any lock, i.e. all have ended:
    /// every row at or below M is then committed or gone for good, and the digest's later statements see them all.
    /// New writers that start meanwhile draw sequences above M and do not matter.</item>
    /// </list>
    /// Past <paramref name="timeout"/> (a long-open write transaction, a DBA's session) the round is skipped instead:
    /// signing M then could leave a row out. Transactions that only update rows (the relay marking them published)
    /// are waited for too, which costs at most their few milliseconds. This relies on the sequence handing out
    /// increasing numbers across sessions (<c>CACHE 1</c>, PostgreSQL's default for the identity column).
    /// </remarks>
    private static async Task<long?> SettledSequenceAsync(NpgsqlConnection connection, TimeSpan timeout, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var sequence = await ScalarAsync<long>(connection, "SELECT coalesce(max(sequence), 0) FROM outbox_messages", cancellationToken);
        var inFlight = await WritersAsync(connection, """
            SELECT DISTINCT virtualtransaction FROM pg_locks
            WHERE locktype = 'relation' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND relation = 'outbox_messages'::regclass AND mode = 'RowExclusiveLock' AND granted
              AND pid IS DISTINCT FROM pg_backend_pid()
            """, null, cancellationToken);
        var started = timeProvider.GetTimestamp();
        while (inFlight.Length > 0)
        {
            if (timeProvider.GetElapsedTime(started) >= timeout)
            {
                return null;
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken);
            // A transaction holds its locks until it ends: one of L still listed in pg_locks has not ended.
            inFlight = await WritersAsync(connection, "SELECT DISTINCT virtualtransaction FROM pg_locks WHERE virtualtransaction = ANY(@writers)",
                inFlight, cancellationToken);
        }

        return sequence;
    }

    private static async Task<string[]> WritersAsync(NpgsqlConnection connection, string sql, string[]? writers, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (writers is not null)
        {
            command.Parameters.AddWithValue("writers", writers);
        }

        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return [.. found];
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
