using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.Inbox;

/// <summary>
/// Idempotent consumption: a message id is recorded with the consumer's effect in one unit of work. Two concurrent
/// deliveries of one message both pass the check, but the primary key lets only one commit; the other retries and
/// finds the row.
/// </summary>
public static class MessageInbox
{
    /// <summary>Returns false when this consumer already processed the message; otherwise adds the inbox row.</summary>
    public static async Task<bool> TryAcceptAsync(OrderProcessorDbContext db, Guid messageId, string consumer,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var seen = await db.Inbox.AnyAsync(i => i.MessageId == messageId && i.Consumer == consumer, cancellationToken);
        if (seen)
        {
            return false;
        }

        db.Inbox.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = now });
        return true;
    }
}
