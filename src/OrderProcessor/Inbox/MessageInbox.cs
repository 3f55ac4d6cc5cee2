using Npgsql;
using OrderProcessor.Persistence;

namespace OrderProcessor.Inbox;

/// <summary>
/// Idempotent consumption: a message id is recorded with the consumer's effect and a hash of the command's content in
/// one unit of work. Two concurrent deliveries of one message both pass the check, but the primary key lets only one
/// commit; the other retries and finds the row. A row whose hash differs from the delivery's is a different command
/// reusing the id: never acknowledged silently.
/// </summary>
public static class MessageInbox
{
    /// <summary>Adds the inbox row for a new message id; tells a repeat from a conflicting reuse of a seen one.</summary>
    public static async Task<InboxVerdict> TryAcceptAsync(OrderProcessorDbContext db, Guid messageId, string consumer, string contentHash,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A plain command (see ContextCommand): every command reads its inbox row.
        await using (var command = await ContextCommand.CreateAsync(db, "SELECT content_hash FROM inbox_messages WHERE message_id = $1 AND consumer = $2", cancellationToken))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = consumer });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                // Rows written before the hash was kept have none: read as a repeat, as they always were.
                var seen = await reader.IsDBNullAsync(0, cancellationToken) ? null : reader.GetString(0);
                return seen is null || seen == contentHash ? InboxVerdict.Repeat : InboxVerdict.Conflicting;
            }
        }

        db.Inbox.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = now, ContentHash = contentHash });
        return InboxVerdict.New;
    }
}
