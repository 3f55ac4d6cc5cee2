using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// What the pre-trade risk controls decided about a PlaceOrder: refused (a code and a reason naming the limit) or passed,
/// with the limits the order carries for the checks that need IBKR's reference price.
/// </summary>
public sealed record RiskVerdict(RejectionReasonCode? Code, string? Reason, decimal? MaxNotional, decimal? PriceBandPercent, bool NeedsReferencePrice)
{
    /// <summary>Nothing refused and nothing to check later.</summary>
    public static RiskVerdict Pass { get; } = new(null, null, null, null, false);

    public bool Refused => Code is not null;
}
