namespace OrderProcessor.Contracts;

/// <summary>Part of the order is filled; more may follow.</summary>
public sealed record OrderPartiallyFilled : IOrderEvent
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

    /// <summary>Quantity filled so far.</summary>
    public decimal FilledQuantity { get; init; }

    /// <summary>
    /// Quantity still open. For an order placed with a cash quantity this is IBKR's <c>remainingQuantity</c> when its report
    /// carries one, and 0 otherwise: the units still open are IBKR's to decide as it fills (the cash still open is the
    /// order's cash quantity less <see cref="FilledCashAmount"/>).
    /// </summary>
    public decimal RemainingQuantity { get; init; }

    /// <summary>Average price of what is filled so far.</summary>
    public decimal? AveragePrice { get; init; }

    /// <summary>
    /// For an order placed with a cash quantity: the cash amount filled so far (filled quantity × average price, as IBKR
    /// reports them, rounded to cents, half a cent away from zero); null for orders placed with a quantity.
    /// </summary>
    public decimal? FilledCashAmount { get; init; }
}
