namespace OrderProcessor.Brokerage.Configuration;

/// <summary>Timeouts of every upstream call.</summary>
public sealed class TimeoutOptions
{
    /// <summary>One HTTP attempt, from the moment its pacing slot is granted until the answer's headers arrive.</summary>
    public TimeSpan Attempt { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>One PiTrade bearer-token call including its retries.</summary>
    public TimeSpan Total { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a pacing slot before a call gives up as paced (nothing was sent).</summary>
    public TimeSpan PacingWait { get; set; } = TimeSpan.FromSeconds(60);
}
