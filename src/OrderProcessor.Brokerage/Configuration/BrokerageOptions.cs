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

    public StreamOptions Stream { get; set; } = new();

    /// <summary>
    /// Accept <c>http://</c> base URLs for PiTrade and IBKR outside the Development environment: only for a simulator on
    /// loopback or a private test network (the demo, the tests). Tokens and orders would otherwise cross the network in clear.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }
}
