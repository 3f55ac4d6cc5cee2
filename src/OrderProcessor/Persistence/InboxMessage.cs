namespace OrderProcessor.Persistence;

/// <summary>
/// A message a consumer has processed (table <c>inbox_messages</c>), written in the same transaction as its effect:
/// a second delivery finds the row and is acknowledged without effect, unless its content differs (<see cref="ContentHash"/>).
/// </summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public string Consumer { get; set; } = string.Empty;
    public DateTimeOffset ProcessedAt { get; set; }

    /// <summary>
    /// SHA-256 (hex) of the command's content (<c>CommandFingerprint</c>): a redelivery carries the same, a different command
    /// reusing the message id does not. Null for rows written before it was kept (read as a plain repeat).
    /// </summary>
    public string? ContentHash { get; set; }
}
