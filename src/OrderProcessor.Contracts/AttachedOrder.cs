namespace OrderProcessor.Contracts;

/// <summary>
/// A leg attached to a parent order (a bracket): a stop-loss (STP at <see cref="Price"/>) or a take-profit (LMT at
/// <see cref="Price"/>), on the opposite side and for the same quantity as the parent. It is tracked as its own order.
/// </summary>
public sealed record AttachedOrder
{
    /// <summary>The id of the leg as an order of its own; must differ from the parent's and every other leg's.</summary>
    public Guid OrderId { get; init; }

    /// <summary>The stop price (stop-loss) or the limit price (take-profit).</summary>
    public decimal? Price { get; init; }
}
