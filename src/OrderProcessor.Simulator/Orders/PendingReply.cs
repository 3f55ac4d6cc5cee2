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

    /// <summary>How the group request is to be split once its questions are answered (null: as a whole).</summary>
    public GroupSplit? Split { get; init; }

    /// <summary>
    /// Set when tickets of a group were held back for a question of their own while the others were accepted: these
    /// prepared orders are registered once it is confirmed.
    /// </summary>
    public IReadOnlyList<SimOrder>? HeldOrders { get; init; }
}
