namespace OrderProcessor.Brokerage.Streaming;

/// <summary>
/// Delay before the next connect: base · 2^failures, capped, with jitter in [½, 1] of that, so that a network blip
/// for many users does not bring them all back in the same instant (the egress IP's pacing would pay for it).
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>Failed attempts since the last good connection.</summary>
    public int Failures { get; private set; }

    /// <summary>The delay for the next attempt; counts one more failure.</summary>
    public TimeSpan Next()
    {
        var ceiling = Ceiling(Failures);
        Failures++;
        return ceiling * (0.5 + (0.5 * _random.NextDouble()));
    }

    /// <summary>A connection reached streaming: the next drop starts again from the base delay.</summary>
    public void Reset() => Failures = 0;

    /// <summary>The un-jittered delay after <paramref name="failures"/> failures.</summary>
    public TimeSpan Ceiling(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures, 30));
        var ticks = Math.Min(baseDelay.Ticks * factor, maxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
