namespace OrderProcessor.Brokerage.Configuration;

/// <summary>Settings of the brokerage guard, bound from the configuration section "Brokerage".</summary>
public sealed class BrokerageOptions
{
    public const string SectionName = "Brokerage";

    public PiTradeOptions PiTrade { get; set; } = new();

    public IbkrOptions Ibkr { get; set; } = new();

    public QuestionOptions Questions { get; set; } = new();

    public SessionOptions Session { get; set; } = new();

    public PacingOptions Pacing { get; set; } = new();

    public TimeoutOptions Timeouts { get; set; } = new();

    public ResilienceOptions Resilience { get; set; } = new();
}
