namespace OrderProcessor.Brokerage.Streaming;

/// <summary>
/// What the guard's sockets tell the processor. Calls for one user never overlap and come in arrival order; an
/// exception is logged and counted and never kills the socket.
/// </summary>
public interface IOrderStreamObserver
{
    /// <summary>
    /// Called once a socket is open and before it subscribes: <c>sor</c> does not replay, so the user's live orders are
    /// read first (IBKR's advice).
    /// </summary>
    Task BeforeSubscribeAsync(string userId, long leaseEpoch, CancellationToken cancellationToken);

    /// <summary>One frame's order deltas and executions.</summary>
    ValueTask OnBatchAsync(OrderStreamBatch batch, CancellationToken cancellationToken);

    /// <summary>The stream may have missed something (or has just subscribed): schedule a reconciliation. Must not block.</summary>
    void OnGap(StreamGap gap);
}
