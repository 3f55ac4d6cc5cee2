using System.Collections.Concurrent;
using System.Diagnostics;
using OrderProcessor.Brokerage.Streaming;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>Records what the guard's streams hand the processor, in order, and checks that calls for a user never overlap.</summary>
internal sealed class RecordingStreamObserver : IOrderStreamObserver
{
    private int _inside;

    public ConcurrentQueue<object> Events { get; } = new();

    public ConcurrentQueue<OrderStreamBatch> Batches { get; } = new();

    public ConcurrentQueue<StreamGap> Gaps { get; } = new();

    public int Overlaps;

    public int BeforeSubscribeCalls;

    /// <summary>Made to throw on the next batch (the socket must survive it).</summary>
    public bool ThrowOnNextBatch { get; set; }

    public async Task BeforeSubscribeAsync(string userId, long leaseEpoch, CancellationToken cancellationToken)
    {
        Enter();
        Interlocked.Increment(ref BeforeSubscribeCalls);
        Events.Enqueue("before-subscribe");
        await Task.Yield();
        Leave();
    }

    /// <summary>While set, every batch waits for it (a processor that fell behind).</summary>
    public TaskCompletionSource? Block { get; set; }

    public async ValueTask OnBatchAsync(OrderStreamBatch batch, CancellationToken cancellationToken)
    {
        Enter();
        try
        {
            if (Block is { } block)
            {
                await block.Task.WaitAsync(cancellationToken);
            }

            Batches.Enqueue(batch);
            Events.Enqueue(batch);
            if (ThrowOnNextBatch)
            {
                ThrowOnNextBatch = false;
                throw new InvalidOperationException("observer failure on purpose");
            }
        }
        finally
        {
            Leave();
        }
    }

    public void OnGap(StreamGap gap)
    {
        Gaps.Enqueue(gap);
        Events.Enqueue(gap);
    }

    public int GapsOf(StreamGapCause cause) => Gaps.Count(g => g.Cause == cause);

    /// <summary>Waits (at most <paramref name="within"/>) for <paramref name="condition"/>; returns how long it took, or null.</summary>
    public static async Task<TimeSpan?> WaitFor(Func<bool> condition, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > within)
            {
                return null;
            }

            await Task.Delay(10);
        }

        return watch.Elapsed;
    }

    private void Enter()
    {
        if (Interlocked.Increment(ref _inside) > 1)
        {
            Interlocked.Increment(ref Overlaps);
        }
    }

    private void Leave() => Interlocked.Decrement(ref _inside);
}
