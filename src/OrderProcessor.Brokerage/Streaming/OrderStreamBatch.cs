using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>
/// The elements of one frame as received: <c>sor</c> elements are sparse deltas (a null field was absent or <c>""</c>
/// in the frame, never zero), <c>str</c> elements are executions keyed by <see cref="Trade.ExecutionId"/> and replayed
/// after every (re)subscription.
/// </summary>
public sealed record OrderStreamBatch(
    string UserId,
    long LeaseEpoch,
    long ConnectionId,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<LiveOrder> OrderDeltas,
    IReadOnlyList<Trade> Executions);
