namespace OrderProcessor.Simulator.Orders;

/// <summary>An order submission (or modification) waiting for the answer to <see cref="Current"/>.</summary>
public sealed class PendingReply(string replyId, string accountId, IReadOnlyList<OrderTicket> tickets, long? modifiedOrderId, Queue<Question> remaining)
{
    public string ReplyId { get; set; } = replyId;

    public string AccountId { get; } = accountId;

    public IReadOnlyList<OrderTicket> Tickets { get; } = tickets;

    /// <summary>Set when this is a modification of an existing order.</summary>
    public long? ModifiedOrderId { get; } = modifiedOrderId;

    public Queue<Question> Remaining { get; } = remaining;

    public Question Current => Remaining.Peek();
}
