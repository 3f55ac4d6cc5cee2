using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Halts;

/// <summary>A halt as the verdict a PlaceOrder is decided with (the first pre-trade check: a halted scope accepts nothing).</summary>
public static class HaltVerdict
{
    /// <summary>A refusing verdict (<see cref="RejectionReasonCode.TradingHalted"/>) for an active halt; null (no verdict) otherwise.</summary>
    public static RiskVerdict? Of(HaltView? halt) =>
        halt is null ? null : new RiskVerdict(RejectionReasonCode.TradingHalted, halt.RefusalReason(), null, null, false);
}
