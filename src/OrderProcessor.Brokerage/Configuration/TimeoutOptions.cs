namespace OrderProcessor.Brokerage.Configuration;

/// <summary>Timeouts of every upstream call.</summary>
public sealed class TimeoutOptions
{
    /// <summary>One HTTP attempt.</summary>
    public TimeSpan Attempt { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>One call including its retries.</summary>
    public TimeSpan Total { get; set; } = TimeSpan.FromSeconds(30);
}
