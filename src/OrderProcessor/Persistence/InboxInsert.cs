using Npgsql;

namespace OrderProcessor.Persistence;

/// <summary>
/// A command's inbox row (<see cref="Inbox.MessageInbox.Record"/>), inserted at the end of its save's first command
/// (<see cref="InboxInsertInterceptor"/>) instead of as a change-tracked entity: one per command, only ever inserted. A
/// second delivery that passed the inbox check at the same moment violates the key there, which aborts the transaction
/// and reads as a conflict, as EF's insert did: the delivery is decided again and finds the row.
/// </summary>
public sealed record InboxInsert(InboxMessage Row)
{
    internal const string Sql = """
        INSERT INTO inbox_messages (message_id, consumer, content_hash, processed_at)
        VALUES (@inbox_message_id, @inbox_consumer, @inbox_content_hash, @inbox_processed_at);

        """;

    internal IEnumerable<NpgsqlParameter> Parameters() =>
    [
        new NpgsqlParameter<Guid>("inbox_message_id", Row.MessageId),
        new NpgsqlParameter<string>("inbox_consumer", Row.Consumer),
        new NpgsqlParameter("inbox_content_hash", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)Row.ContentHash ?? DBNull.Value },
        new NpgsqlParameter<DateTimeOffset>("inbox_processed_at", Row.ProcessedAt.ToUniversalTime()),
    ];
}
