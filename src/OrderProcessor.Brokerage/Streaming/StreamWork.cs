namespace OrderProcessor.Brokerage.Streaming;

/// <summary>What a user's stream hands to its observer, in arrival order, one at a time.</summary>
internal abstract record StreamWork;

internal sealed record BatchWork(OrderStreamBatch Batch) : StreamWork;

internal sealed record GapWork(StreamGap Gap) : StreamWork;

/// <summary>The read before subscribing; <see cref="Done"/> completes when the observer returns (or failed).</summary>
internal sealed record BeforeSubscribeWork(long LeaseEpoch, CancellationToken CancellationToken) : StreamWork
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
