namespace OrderProcessor.Simulator.Faults;

/// <summary>Holds the fault settings and draws, deterministically from their seed, which request gets which fault.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private FaultSettings _settings = FaultSettings.None;
    private Random _random = new(1);
    private int _cannedGiven;

    public FaultSettings Settings
    {
        get
        {
            lock (_gate)
                return _settings;
        }
    }

    public void Set(FaultSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_gate)
        {
            _settings = settings;
            _random = new Random(settings.Seed);
            _cannedGiven = 0;
        }
    }

    public void Clear() => Set(FaultSettings.None);

    public (FaultKind Kind, TimeSpan Latency, FaultSettings Settings) Decide(string path, string? userId)
    {
        lock (_gate)
        {
            var s = _settings;
            if (s.PathContains is not null && !path.Contains(s.PathContains, StringComparison.OrdinalIgnoreCase))
                return (FaultKind.None, TimeSpan.Zero, s);
            if (s.UserId is not null && !string.Equals(s.UserId, userId, StringComparison.Ordinal))
                return (FaultKind.None, TimeSpan.Zero, s);
            var latency = TimeSpan.FromMilliseconds(s.LatencyMs);
            // One draw per rate, in a fixed order, so a seed gives the same sequence whatever the rates.
#pragma warning disable CA5394 // not security: reproducible fault draws
            var serverError = _random.NextDouble() < s.ServerErrorRate;
            var tooMany = _random.NextDouble() < s.TooManyRequestsRate;
            var lost = _random.NextDouble() < s.AnswerLostRate;
            // Drawn only when asked for, so that the sequences of the other rates stay what they were for a seed.
            var canned = s.CannedRate > 0 && _random.NextDouble() < s.CannedRate && (s.CannedMax == 0 || _cannedGiven < s.CannedMax);
#pragma warning restore CA5394
            var kind = serverError ? FaultKind.ServerError : tooMany ? FaultKind.TooManyRequests : lost ? FaultKind.AnswerLost
                : canned ? FaultKind.Canned : FaultKind.None;
            if (kind == FaultKind.Canned)
                _cannedGiven++;
            return (kind, latency, s);
        }
    }
}
