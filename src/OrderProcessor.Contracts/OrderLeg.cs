namespace OrderProcessor.Contracts;

/// <summary>Another order of a one-cancels-all group, placed together with the order that names the group.</summary>
public sealed record OrderLeg
{
    /// <summary>The id of this order; must differ from every other order of the group.</summary>
    public Guid OrderId { get; init; }

    /// <summary>The IBKR contract id; when absent, the instrument of the order that names the group.</summary>
    public int? Conid { get; init; }

    /// <summary>Buy or sell.</summary>
    public OrderSide? Side { get; init; }

    /// <summary>How many units; positive.</summary>
    public decimal? Quantity { get; init; }

    /// <summary>The order type.</summary>
    public OrderType? OrderType { get; init; }

    /// <summary>Limit price (LMT, STOP_LIMIT, TRAILLMT).</summary>
    public decimal? LimitPrice { get; init; }

    /// <summary>Stop price (STP, STOP_LIMIT, TRAIL, TRAILLMT).</summary>
    public decimal? StopPrice { get; init; }

    /// <summary>Trailing amount (TRAIL, TRAILLMT).</summary>
    public decimal? TrailingAmount { get; init; }

    /// <summary>Unit of <see cref="TrailingAmount"/>.</summary>
    public TrailingUnit? TrailingUnit { get; init; }
}
