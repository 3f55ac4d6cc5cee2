namespace OrderProcessor.Simulator.Market;

/// <summary>The best bid and offer of an instrument; a MIDPRICE order fills at <see cref="Midpoint"/>.</summary>
public sealed record Quote(decimal Bid, decimal Ask)
{
    /// <summary>Halfway between bid and ask: exact in decimal (it may be half a tick, as IBKR's midpoint fills are).</summary>
    public decimal Midpoint => (Bid + Ask) / 2m;
}
