using Npgsql;
using OrderProcessor.Persistence;

namespace OrderProcessor.Inbox;

/// <summary>
/// Idempotent consumption: a message id is recorded with the consumer's effect and a hash of the command's content in
/// one unit of work. Two concurrent deliveries of one message both pass the check, but the primary key lets only one
/// commit; the other retries and finds the row. A row whose hash differs from the delivery's is a different command
/// reusing the id: never acknowledged silently.
/// </summary>
/// <remarks>
/// The check is a plain statement (see <see cref="ContextCommand"/>: every command reads its inbox row) that the unit of
/// work sends in one batch after its advisory locks (<see cref="Command"/>, then <see cref="ReadVerdictAsync"/>); a new
/// message's row is then added with its effect (<see cref="Record"/>).
/// </remarks>
public static class MessageInbox
{
    private const string Sql = "SELECT content_hash FROM inbox_messages WHERE message_id = $1 AND consumer = $2";

    /// <summary>The read of the message's inbox row, as a command of the caller's batch.</summary>
    public static NpgsqlBatchCommand Command(Guid messageId, string consumer) =>
        new(Sql)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = messageId },
                new NpgsqlParameter<string> { TypedValue = consumer },
            },
        };

    /// <summary>What the reader's current result (the read of <see cref="Command"/>) says of the delivery.</summary>
    public static async Task<InboxVerdict> ReadVerdictAsync(NpgsqlDataReader reader, string contentHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return InboxVerdict.New;
        }

        // Rows written before the hash was kept have none: read as a repeat, as they always were.
        var seen = await reader.IsDBNullAsync(0, cancellationToken) ? null : reader.GetString(0);
        return seen is null || seen == contentHash ? InboxVerdict.Repeat : InboxVerdict.Conflicting;
    }

    /// <summary>
    /// Adds the inbox row of a new message to the unit of work: inserted by its save, at the end of the save's first
    /// command (<see cref="InboxInsertInterceptor"/>), with its effect.
    /// </summary>
    public static void Record(OrderProcessorDbContext db, Guid messageId, string consumer, string contentHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.ArmInboxRow(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = now, ContentHash = contentHash });
    }
}
