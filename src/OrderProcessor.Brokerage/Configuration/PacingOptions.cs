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

    /// <summary>First pause of a user after a 429; doubles on each further 429 up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BackoffAfterTooManyRequests { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// First pause of the whole egress IP after a 429 (every user, every process behind the IP); doubles when the probe
    /// that follows is refused too, up to <see cref="MaxBackoff"/>.
    /// </summary>
    public TimeSpan EgressPauseAfterTooManyRequests { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the one probe after an egress pause may take before another probe may go (a probe without answer).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Sends per second the egress IP allows right after a successful probe (split between processes).</summary>
    public int RampStartPerSecond { get; set; } = 2;

    /// <summary>How long the egress IP takes to climb from <see cref="RampStartPerSecond"/> back to <see cref="PerEgressIpPerSecond"/>.</summary>
    public TimeSpan RampTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often a process behind a shared egress IP beats its heartbeat and reads the shared pause (when the processor
    /// coordinates the budget through PostgreSQL): the longest another process's 429 goes unnoticed here.
    /// </summary>
    public TimeSpan SharedBudgetHeartbeat { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A process whose heartbeat is older than this no longer counts as sharing the budget (its share goes to the others).</summary>
    public TimeSpan SharedBudgetMemberTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
