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
}
