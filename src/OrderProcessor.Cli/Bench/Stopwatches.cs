using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrderProcessor.Cli.Bench;

/// <summary>Start times by id and the elapsed time when each id's answer arrived.</summary>
public sealed class Stopwatches
{
    private readonly ConcurrentDictionary<Guid, long> _started = new();
    private readonly ConcurrentDictionary<Guid, TimeSpan> _done = new();
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expected = int.MaxValue;

    public int Done => _done.Count;

    public bool IsDone(Guid id) => _done.ContainsKey(id);

    public IReadOnlyCollection<TimeSpan> Latencies => _done.Values.ToList();

    public void Expect(int count)
    {
        _expected = count;
        if (_done.Count >= count)
        {
            _all.TrySetResult();
        }
    }

    public void Start(Guid id) => _started[id] = Stopwatch.GetTimestamp();

    public void Stop(Guid id)
    {
        if (_started.TryGetValue(id, out var started) && _done.TryAdd(id, Stopwatch.GetElapsedTime(started)) && _done.Count >= _expected)
        {
            _all.TrySetResult();
        }
    }

    public Task WaitAllAsync(TimeSpan timeout) => _all.Task.WaitAsync(timeout);

    /// <summary>
    /// Waits for every expected answer; a timeout names how many came and, of the ids still waiting, how many the
    /// processor rejected and why (<paramref name="rejections"/> by order id), instead of a bare "timed out".
    /// </summary>
    public async Task WaitAllAsync(TimeSpan timeout, string what, IReadOnlyDictionary<Guid, string> rejections, CancellationToken cancellationToken)
    {
        try
        {
            await _all.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            var missing = _started.Keys.Where(id => !_done.ContainsKey(id)).ToList();
            var rejected = missing.Where(rejections.ContainsKey).ToList();
            throw new TimeoutException(
                $"{what}: {_done.Count} of {(_expected == int.MaxValue ? _started.Count : _expected)} answered within {timeout.TotalSeconds:0.##} s; "
                + (rejected.Count == 0
                    ? "none of the missing was rejected"
                    : $"{rejected.Count} of the {missing.Count} missing were rejected by the processor (first: {rejections[rejected[0]]})"));
        }
    }
}
