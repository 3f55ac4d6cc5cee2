namespace OrderProcessor.Contracts;

/// <summary>The whole order is filled (final).</summary>
public sealed record OrderFilled : IOrderEvent
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

    /// <summary>Quantity filled.</summary>
    public decimal FilledQuantity { get; init; }

    /// <summary>Average fill price.</summary>
    public decimal? AveragePrice { get; init; }

    /// <summary>
    /// For an order placed with a cash quantity: the cash amount filled so far (filled quantity × average price, as IBKR
    /// reports them, rounded to cents, half a cent away from zero); null for orders placed with a quantity.
    /// </summary>
    public decimal? FilledCashAmount { get; init; }
}
