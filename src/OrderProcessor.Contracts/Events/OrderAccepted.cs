namespace OrderProcessor.Contracts;

/// <summary>The processor accepted a PlaceOrder: it passed validation and is recorded. IBKR has not seen it yet.</summary>
public sealed record OrderAccepted : IOrderEvent
{
    /// <inheritdoc />
    public Guid OrderId { get; init; }

    /// <inheritdoc />
    public long Sequence { get; init; }

    /// <inheritdoc />
    public DateTimeOffset OccurredAt { get; init; }

    /// <inheritdoc />
    public Guid CorrelationId { get; init; }

    /// <inheritdoc />
    public Guid CausationId { get; init; }

    /// <summary>The user whose session will place it.</summary>
    public string UserId { get; init; } = string.Empty;

    /// <summary>The IBKR account.</summary>
    public string AccountId { get; init; } = string.Empty;

    /// <summary>The client order id (<c>cOID</c>) the order will carry at IBKR, derived from the order id.</summary>
    public string ClientOrderId { get; init; } = string.Empty;

    /// <summary>The IBKR contract id.</summary>
    public int Conid { get; init; }

    /// <summary>Buy or sell.</summary>
    public OrderSide Side { get; init; }

    /// <summary>How many units; 0 for an order placed with a cash quantity (<see cref="CashQuantity"/>), whose units IBKR decides as it fills.</summary>
    public decimal Quantity { get; init; }

    /// <summary>The cash amount to trade, for an order placed with one (IBKR's <c>cashQty</c>); null otherwise.</summary>
    public decimal? CashQuantity { get; init; }

    /// <summary>The order type.</summary>
    public OrderType OrderType { get; init; }

    /// <summary>Limit price, if any.</summary>
    public decimal? LimitPrice { get; init; }

    /// <summary>Stop price, if any.</summary>
    public decimal? StopPrice { get; init; }

    /// <summary>Trailing amount, if any.</summary>
    public decimal? TrailingAmount { get; init; }

    /// <summary>Unit of the trailing amount, if any.</summary>
    public TrailingUnit? TrailingUnit { get; init; }

    /// <summary>Time in force.</summary>
    public TimeInForce TimeInForce { get; init; }

    /// <summary>Whether it may work outside regular trading hours.</summary>
    public bool OutsideRegularHours { get; init; }

    /// <summary>The parent order, for a bracket leg.</summary>
    public Guid? ParentOrderId { get; init; }

    /// <summary>The one-cancels-all group, if any.</summary>
    public string? OcaGroup { get; init; }

    /// <summary>The margin check the order goes through before submission.</summary>
    public MarginCheckPolicy MarginCheck { get; init; }
}
