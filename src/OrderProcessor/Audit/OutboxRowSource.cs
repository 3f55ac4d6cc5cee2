using System.Runtime.CompilerServices;
using Npgsql;
using OrderProcessor.Persistence;

namespace OrderProcessor.Audit;

/// <summary>
/// Streams outbox rows from PostgreSQL in pages (keyset pagination, never OFFSET), so millions of rows are read in
/// bounded memory: the chains by <c>(order_id, order_sequence)</c> along their unique index, standalone rows and
/// selections by <c>sequence</c>.
/// </summary>
public sealed class OutboxRowSource(string connectionString, int batchSize = 10_000)
{
    private const string Columns = """
        o.sequence, o.message_id, o.order_id, o.order_sequence, o.message_type, o.body::text, o.correlation_id, o.causation_id,
        o.created_at, o.published_at, o.attempts, o.last_error, o.next_attempt_at, o.response_address, o.request_id,
        o.previous_hash, o.hash, o.trace_parent
        """;

    public int BatchSize { get; } = batchSize > 0 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), "the batch size must be positive.");

    /// <summary>Counts every outbox row (for progress).</summary>
    public async Task<long> CountAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Counts the rows of a selection (for progress).</summary>
    public async Task<long> CountAsync(OutboxSelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        command.CommandText = $"SELECT count(*) FROM outbox_messages o {(selection.NeedsOrders ? "LEFT JOIN orders s ON s.order_id = o.order_id" : string.Empty)} WHERE {selection.Conditions(command)}";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Every row of every order's chain (order sequence &gt; 0), order by order in ascending order sequence, each with
    /// what the order's saga row says about the chain's end (null when there is no saga row).
    /// </summary>
    public async IAsyncEnumerable<(OutboxMessage Row, OrderChainEnd? ChainEnd)> ReadChainsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The join is bounded below by the keyset too: otherwise its merge scan would start at the first order on every page.
        await using var connection = await OpenAsync(cancellationToken);
        var afterOrder = Guid.Empty;
        var afterSequence = 0L;
        while (true)
        {
            await using var command = new NpgsqlCommand($"""
                SELECT {Columns}, s.last_event_sequence, s.last_event_hash, s.order_id IS NOT NULL
                FROM outbox_messages o LEFT JOIN orders s ON s.order_id = o.order_id AND s.order_id >= @after_order
                WHERE o.order_sequence > 0 AND (o.order_id, o.order_sequence) > (@after_order, @after_sequence)
                ORDER BY o.order_id, o.order_sequence
                LIMIT @limit
                """, connection);
            command.Parameters.AddWithValue("after_order", afterOrder);
            command.Parameters.AddWithValue("after_sequence", afterSequence);
            command.Parameters.AddWithValue("limit", BatchSize);
            var count = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    count++;
                    var row = ReadRow(reader);
                    var end = reader.GetBoolean(20)
                        ? new OrderChainEnd(reader.GetInt64(18), reader.IsDBNull(19) ? null : reader.GetString(19))
                        : null;
                    (afterOrder, afterSequence) = (row.OrderId, row.OrderSequence);
                    yield return (row, end);
                }
            }

            if (count < BatchSize)
            {
                yield break;
            }
        }
    }

    /// <summary>Orders whose saga row records events but that have no chained outbox row left at all.</summary>
    public async IAsyncEnumerable<(Guid OrderId, OrderChainEnd ChainEnd)> ReadOrdersWithoutEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT s.order_id, s.last_event_sequence, s.last_event_hash FROM orders s
            WHERE s.last_event_sequence > 0
              AND NOT EXISTS (SELECT 1 FROM outbox_messages o WHERE o.order_id = s.order_id AND o.order_sequence > 0)
            ORDER BY s.order_id
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return (reader.GetGuid(0), new OrderChainEnd(reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
    }

    /// <summary>Every standalone row (order sequence 0), by outbox sequence.</summary>
    public IAsyncEnumerable<OutboxMessage> ReadStandaloneAsync(CancellationToken cancellationToken) =>
        ReadBySequenceAsync("o.order_sequence = 0", null, cancellationToken);

    /// <summary>The rows of a selection, by outbox sequence.</summary>
    public IAsyncEnumerable<OutboxMessage> ReadAsync(OutboxSelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return ReadBySequenceAsync(null, selection, cancellationToken);
    }

    private async IAsyncEnumerable<OutboxMessage> ReadBySequenceAsync(string? condition, OutboxSelection? selection,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var after = 0L;
        while (true)
        {
            await using var command = new NpgsqlCommand { Connection = connection };
            var conditions = selection?.Conditions(command) ?? condition;
            command.CommandText = $"""
                SELECT {Columns}
                FROM outbox_messages o {(selection?.NeedsOrders == true ? "LEFT JOIN orders s ON s.order_id = o.order_id" : string.Empty)}
                WHERE o.sequence > @after AND {conditions}
                ORDER BY o.sequence
                LIMIT @limit
                """;
            command.Parameters.AddWithValue("after", after);
            command.Parameters.AddWithValue("limit", BatchSize);
            var count = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    count++;
                    var row = ReadRow(reader);
                    after = row.Sequence;
                    yield return row;
                }
            }

            if (count < BatchSize)
            {
                yield break;
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static OutboxMessage ReadRow(NpgsqlDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        MessageId = reader.GetGuid(1),
        OrderId = reader.GetGuid(2),
        OrderSequence = reader.GetInt64(3),
        MessageType = reader.GetString(4),
        Body = reader.GetString(5),
        CorrelationId = reader.GetGuid(6),
        CausationId = reader.GetGuid(7),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(8),
        PublishedAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        Attempts = reader.GetInt32(10),
        LastError = reader.IsDBNull(11) ? null : reader.GetString(11),
        NextAttemptAt = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
        ResponseAddress = reader.IsDBNull(13) ? null : reader.GetString(13),
        RequestId = reader.IsDBNull(14) ? null : reader.GetGuid(14),
        PreviousHash = reader.IsDBNull(15) ? null : reader.GetString(15),
        Hash = reader.GetString(16),
        TraceParent = reader.IsDBNull(17) ? null : reader.GetString(17),
    };
}
