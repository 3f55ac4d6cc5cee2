namespace OrderProcessor.Configuration;

/// <summary>Where market orders get a reference price for the notional limit (<c>Risk:ReferencePriceForMarketOrders</c>).</summary>
public enum ReferencePriceSource
{
    /// <summary>IBKR's what-if order value (one paced what-if per market order).</summary>
    WhatIf,

    /// <summary>No reference price: market orders are not checked against the notional limit.</summary>
    Skip,
}
