namespace OrderProcessor.Persistence;

/// <summary>
/// A message a consumer has processed (table <c>inbox_messages</c>), written in the same transaction as its effect:
/// a second delivery finds the row and is acknowledged without effect.
/// </summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public string Consumer { get; set; } = string.Empty;
    public DateTimeOffset ProcessedAt { get; set; }
}
