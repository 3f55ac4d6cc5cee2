namespace OrderProcessor.Brokerage.Sessions;

/// <summary>
/// Async reader/writer gate of one user. Ordinary calls share it; a place → reply… → accepted sequence holds it
/// alone, because IBKR drops a pending question as soon as any other request of the user comes in between.
/// Writers go first: once one waits, new shared callers queue behind it.
/// </summary>
internal sealed class UserCallGate
{
    private readonly SemaphoreSlim _turnstile = new(1, 1);
    private readonly Lock _sync = new();
    private int _sharedHolders;
    private TaskCompletionSource? _drained;
    private bool _retired;

    /// <summary>
    /// Retires the gate if nobody holds or waits at its turnstile (an idle user being forgotten). A caller that reaches
    /// a retired gate gets null and takes the user's new gate instead, so two gates of one user are never both held.
    /// </summary>
    public bool TryRetire()
    {
        lock (_sync)
        {
            if (!_retired && _sharedHolders == 0 && _turnstile.CurrentCount == 1)
            {
                _retired = true;
            }

            return _retired;
        }
    }

    /// <summary>Null when the gate was retired meanwhile.</summary>
    public async Task<IDisposable?> EnterSharedAsync(CancellationToken cancellationToken)
    {
        await _turnstile.WaitAsync(cancellationToken);
        lock (_sync)
        {
            if (_retired)
            {
                _turnstile.Release();
                return null;
            }

            _sharedHolders++;
        }

        _turnstile.Release();
        return new Release(ExitShared);
    }

    /// <summary>Null when the gate was retired meanwhile.</summary>
    public async Task<IDisposable?> EnterExclusiveAsync(CancellationToken cancellationToken)
    {
        await _turnstile.WaitAsync(cancellationToken);
        Task drained;
        lock (_sync)
        {
            if (_retired)
            {
                _turnstile.Release();
                return null;
            }

            if (_sharedHolders == 0)
            {
                return new Release(() => _turnstile.Release());
            }

            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }

        try
        {
            await drained.WaitAsync(cancellationToken);
        }
        catch
        {
            lock (_sync)
            {
                _drained = null;
            }

            _turnstile.Release();
            throw;
        }

        return new Release(() => _turnstile.Release());
    }

    private void ExitShared()
    {
        lock (_sync)
        {
            _sharedHolders--;
            if (_sharedHolders == 0 && _drained is { } drained)
            {
                _drained = null;
                drained.TrySetResult();
            }
        }
    }

    private sealed class Release(Action release) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                release();
            }
        }
    }
}
