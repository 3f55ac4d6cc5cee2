using Npgsql;

namespace OrderProcessor.Persistence;

/// <summary>
/// Outbox rows a unit of work wrote (<see cref="Outbox.OutboxWriter"/>), inserted by one statement at the end of its save's
/// first command (<see cref="OutboxInsertInterceptor"/>) instead of one change-tracked entity each: outbox rows are only
/// ever inserted here, so EF's tracking, snapshots and per-row statements bought nothing for them (in a profile at a
/// steady 100 orders/s, EF's save was about a quarter of the processor's CPU, and four of an order's nine saved rows are
/// events). The rows keep their order: their <c>sequence</c> numbers follow it, as the relay publishes an order's events.
/// </summary>
public sealed class OutboxInsert
{
    private readonly List<OutboxMessage> _rows = [];

    public IReadOnlyList<OutboxMessage> Rows => _rows;

    public void Add(OutboxMessage row) => _rows.Add(row);

    /// <summary>
    /// The statement: the rows as parallel arrays, unnested in their order (<c>ORDER BY n</c>, so each takes its
    /// <c>sequence</c> in turn). <c>body</c> is <c>json</c>, kept byte for byte as the hash covers it. Returns no result
    /// set, as an appended statement must (<see cref="SaveCommandAppendix{TArmed}"/>).
    /// </summary>
    internal const string Sql = """
        INSERT INTO outbox_messages (message_id, order_id, order_sequence, message_type, body, correlation_id, causation_id, created_at,
                                     attempts, response_address, request_id, trace_parent, previous_hash, hash)
        SELECT r.message_id, r.order_id, r.order_sequence, r.message_type, r.body::json, r.correlation_id, r.causation_id, r.created_at,
               0, r.response_address, r.request_id, r.trace_parent, r.previous_hash, r.hash
        FROM unnest(@outbox_message_ids, @outbox_order_ids, @outbox_order_sequences, @outbox_message_types, @outbox_bodies,
                    @outbox_correlation_ids, @outbox_causation_ids, @outbox_created_ats, @outbox_response_addresses, @outbox_request_ids,
                    @outbox_trace_parents, @outbox_previous_hashes, @outbox_hashes)
             WITH ORDINALITY AS r(message_id, order_id, order_sequence, message_type, body, correlation_id, causation_id, created_at,
                                  response_address, request_id, trace_parent, previous_hash, hash, n)
        ORDER BY r.n;

        """;

    internal IEnumerable<NpgsqlParameter> Parameters() =>
    [
        new NpgsqlParameter<Guid[]>("outbox_message_ids", [.. _rows.Select(r => r.MessageId)]),
        new NpgsqlParameter<Guid[]>("outbox_order_ids", [.. _rows.Select(r => r.OrderId)]),
        new NpgsqlParameter<long[]>("outbox_order_sequences", [.. _rows.Select(r => r.OrderSequence)]),
        new NpgsqlParameter<string[]>("outbox_message_types", [.. _rows.Select(r => r.MessageType)]),
        new NpgsqlParameter<string[]>("outbox_bodies", [.. _rows.Select(r => r.Body)]),
        new NpgsqlParameter<Guid[]>("outbox_correlation_ids", [.. _rows.Select(r => r.CorrelationId)]),
        new NpgsqlParameter<Guid[]>("outbox_causation_ids", [.. _rows.Select(r => r.CausationId)]),
        new NpgsqlParameter<DateTimeOffset[]>("outbox_created_ats", [.. _rows.Select(r => r.CreatedAt.ToUniversalTime())]),
        new NpgsqlParameter<string?[]>("outbox_response_addresses", [.. _rows.Select(r => r.ResponseAddress)]),
        new NpgsqlParameter<Guid?[]>("outbox_request_ids", [.. _rows.Select(r => r.RequestId)]),
        new NpgsqlParameter<string?[]>("outbox_trace_parents", [.. _rows.Select(r => r.TraceParent)]),
        new NpgsqlParameter<string?[]>("outbox_previous_hashes", [.. _rows.Select(r => r.PreviousHash)]),
        new NpgsqlParameter<string[]>("outbox_hashes", [.. _rows.Select(r => r.Hash)]),
    ];
}
