namespace OrderProcessor.Brokerage.Streaming;

/// <summary>Nobody listens to the streams (the guard used without the processor).</summary>
public sealed class NoOrderStreamObserver : IOrderStreamObserver
{
    public Task BeforeSubscribeAsync(string userId, long leaseEpoch, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask OnBatchAsync(OrderStreamBatch batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void OnGap(StreamGap gap)
    {
    }
}
