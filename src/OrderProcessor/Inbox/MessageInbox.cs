using Microsoft.EntityFrameworkCore;
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
        var seen = await db.Inbox.AsNoTracking()
            .Where(i => i.MessageId == messageId && i.Consumer == consumer)
            .Select(i => new { i.ContentHash })
            .SingleOrDefaultAsync(cancellationToken);
        if (seen is not null)
        {
            // Rows written before the hash was kept have none: read as a repeat, as they always were.
            return seen.ContentHash is null || seen.ContentHash == contentHash ? InboxVerdict.Repeat : InboxVerdict.Conflicting;
        }

        db.Inbox.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = now, ContentHash = contentHash });
        return InboxVerdict.New;
    }
}
