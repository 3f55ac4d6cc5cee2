namespace OrderProcessor.Contracts;

/// <summary>
/// Ask IBKR's what-if what an order would do to the account's margin, without placing it. Answered by
/// <see cref="MarginCheckCompleted"/> (published, and sent as the response when the sender made a request).
/// </summary>
public sealed record MarginCheck
{
    /// <summary>An id for this check; the <see cref="MarginCheckCompleted"/> carries it as its order id.</summary>
    public Guid CheckId { get; init; }

    /// <summary>The PiTrade user whose brokerage session runs the check.</summary>
    public string? UserId { get; init; }

    /// <summary>The IBKR account.</summary>
    public string? AccountId { get; init; }

    /// <summary>The IBKR contract id of the instrument.</summary>
    public int? Conid { get; init; }

    /// <summary>Buy or sell.</summary>
    public OrderSide? Side { get; init; }

    /// <summary>How many units.</summary>
    public decimal? Quantity { get; init; }

    /// <summary>The order type.</summary>
    public OrderType? OrderType { get; init; }

    /// <summary>Limit price, where the order type has one.</summary>
    public decimal? LimitPrice { get; init; }

    /// <summary>Stop price, where the order type has one.</summary>
    public decimal? StopPrice { get; init; }

    /// <summary>Time in force.</summary>
    public TimeInForce? TimeInForce { get; init; }
}
