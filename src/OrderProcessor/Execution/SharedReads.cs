namespace OrderProcessor.Execution;

/// <summary>
/// One read shared by everything in this process that needs the same answer (a user's live orders, a user's trades):
/// IBKR paces these reads per user (one per 5 s), so separate reads queue behind each other in the guard's pacing;
/// shared, callers that ask while a read is under way all take the next one.
/// <para>
/// The rule that keeps it safe: a caller is only ever given a read that <b>began after it asked</b>. A read already
/// under way when the caller asks may have been answered from before the caller's reason to ask (a reconcile asks
/// after a send whose outcome is unknown: a read that began before the send ended cannot prove the order absent), so
/// such a caller waits for the next read, which begins when the one under way ends and is shared by everyone who asked
/// meanwhile. An answer is never kept for later callers. Callers leaving (their deadline) do not cancel a read
/// others still wait for; the read is cancelled when nobody waits for it any more.
/// </para>
/// </summary>
public sealed class SharedReads<TKey, TAnswer>(Func<TKey, CancellationToken, Task<TAnswer>> fetch, Action? sent = null)
    where TKey : notnull
{
    private readonly Lock _sync = new();
    private readonly Dictionary<TKey, KeyReads> _keys = new();

    private long _readsSent;
    private long _shared;

    /// <summary>Reads that reached the guard (for tests and the simulation).</summary>
    public long ReadsSent => Interlocked.Read(ref _readsSent);

    /// <summary>Callers answered by a read another caller's need started (reads saved).</summary>
    public long Shared => Interlocked.Read(ref _shared);

    /// <summary>The answer for <paramref name="key"/> from a read that began after this call did.</summary>
    public async Task<TAnswer> ReadAsync(TKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Read read;
        KeyReads? reads;
        KeyReads? startFor = null;
        lock (_sync)
        {
            if (!_keys.TryGetValue(key, out reads))
            {
                reads = _keys[key] = new KeyReads();
            }

            if (reads.Current is null)
            {
                // Nothing under way: a read of its own, begun now (after this call).
                read = reads.Current = new Read();
                startFor = reads;
            }
            else
            {
                // One is under way and may have begun before this caller's reason to ask: the next one, after it.
                read = reads.Next ??= new Read();
            }

            if (++read.Waiters > 1)
            {
                _shared++;
            }
        }

        if (startFor is not null)
        {
            _ = RunAsync(key, startFor, read);
        }

        try
        {
            return await read.Answer.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            bool abandoned;
            lock (_sync)
            {
                abandoned = --read.Waiters == 0;
                if (abandoned && reads.Next == read)
                {
                    // Detached while still under the lock: a caller asking from now on starts a fresh next read instead of
                    // joining this one, which is about to be cancelled (it would be handed a cancellation it never asked for).
                    reads.Next = null;
                }
            }

            if (abandoned)
            {
                // Nobody waits for it any more (cancelled outside the lock: the guard's callbacks run inline).
                read.Cancel.Cancel();
            }

            throw;
        }
    }

    /// <summary>Runs the key's read, then the one queued behind it (if anyone still waits for it), until none is left.</summary>
    private async Task RunAsync(TKey key, KeyReads reads, Read read)
    {
        while (true)
        {
            if (!read.Cancel.IsCancellationRequested)
            {
                Interlocked.Increment(ref _readsSent);
                sent?.Invoke();
                try
                {
                    read.Answer.TrySetResult(await fetch(key, read.Cancel.Token));
                }
                catch (OperationCanceledException) when (read.Cancel.IsCancellationRequested)
                {
                    read.Answer.TrySetCanceled(read.Cancel.Token);
                }
                catch (Exception exception)
                {
                    read.Answer.TrySetException(exception);
                }
            }
            else
            {
                read.Answer.TrySetCanceled(read.Cancel.Token);
            }

            bool unwanted;
            lock (_sync)
            {
                reads.Current = reads.Next;
                reads.Next = null;
                if (reads.Current is not { } next)
                {
                    // Nothing queued: the key's entry goes (no state is kept per idle key).
                    _keys.Remove(key);
                    return;
                }

                read = next;
                unwanted = read.Waiters == 0;
            }

            if (unwanted)
            {
                read.Cancel.Cancel();
            }
        }
    }

    private sealed class KeyReads
    {
        public Read? Current { get; set; }

        public Read? Next { get; set; }
    }

    private sealed class Read
    {
        // Continuations are not forced onto the thread pool: each waiter's await resumes on its own context (the lifecycle
        // simulation keeps every continuation on its one thread, in order).
        public TaskCompletionSource<TAnswer> Answer { get; } = new();

        // Never disposed: it has no timer, and a waiter leaving may cancel it at any time.
        public CancellationTokenSource Cancel { get; } = new();

        public int Waiters { get; set; }
    }
}
