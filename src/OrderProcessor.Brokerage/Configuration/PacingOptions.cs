namespace OrderProcessor.Brokerage.Configuration;

/// <summary>Client-side pacing, so that IBKR never needs to answer 429.</summary>
public sealed class PacingOptions
{
    /// <summary>Requests per second per username (IBKR: 10).</summary>
    public int PerUserPerSecond { get; set; } = 10;

    /// <summary>Minimum interval between two GET /iserver/account/orders of one user (IBKR: 5 s).</summary>
    public TimeSpan LiveOrdersInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Minimum interval between two POST /tickle of one user (IBKR: 1 s).</summary>
    public TimeSpan TickleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests per second across all users behind our egress IP.</summary>
    public int PerEgressIpPerSecond { get; set; } = 50;

    /// <summary>Added to every pacing window to absorb scheduling jitter between our clock and IBKR's.</summary>
    public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>First pause of a user and of the egress IP after a 429; doubles on each further 429 up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BackoffAfterTooManyRequests { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);
}
