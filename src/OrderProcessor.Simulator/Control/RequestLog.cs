using System.Collections.Concurrent;

namespace OrderProcessor.Simulator.Control;

/// <summary>The most recent requests (bounded, so long benchmark runs do not exhaust memory) and counters over all of them.</summary>
public sealed class RequestLog
{
    public const int Capacity = 200_000;
    private readonly ConcurrentQueue<RequestLogEntry> _entries = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, long>> _byEndpoint = new(StringComparer.Ordinal);
    private long _tooManyRequests;

    public void Add(RequestLogEntry entry, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _entries.Enqueue(entry);
        while (_entries.Count > Capacity && _entries.TryDequeue(out _))
        {
        }

        var counts = _byEndpoint.GetOrAdd(endpoint, _ => new ConcurrentDictionary<int, long>());
        counts.AddOrUpdate(entry.Status, 1, (_, n) => n + 1);
        if (entry.Status == StatusCodes.Status429TooManyRequests)
            Interlocked.Increment(ref _tooManyRequests);
    }

    public IReadOnlyList<RequestLogEntry> Entries => [.. _entries];

    public long TooManyRequests => Interlocked.Read(ref _tooManyRequests);

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> CountsByEndpoint =>
        _byEndpoint.ToDictionary(
            e => e.Key,
            e => (IReadOnlyDictionary<string, long>)e.Value.ToDictionary(c => c.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), c => c.Value),
            StringComparer.Ordinal);

    public void Clear()
    {
        _entries.Clear();
        _byEndpoint.Clear();
        Interlocked.Exchange(ref _tooManyRequests, 0);
    }
}
