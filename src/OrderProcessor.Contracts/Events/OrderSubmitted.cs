namespace OrderProcessor.Contracts;

/// <summary>IBKR accepted the order and gave it an order id.</summary>
public sealed record OrderSubmitted : IOrderEvent
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

    /// <summary>IBKR's order id.</summary>
    public string BrokerOrderId { get; init; } = string.Empty;

    /// <summary>The client order id (<c>cOID</c>) the order carries at IBKR.</summary>
    public string ClientOrderId { get; init; } = string.Empty;

    /// <summary>IBKR's status at acceptance (e.g. <c>PreSubmitted</c>, <c>Submitted</c>).</summary>
    public string? BrokerStatus { get; init; }
}
