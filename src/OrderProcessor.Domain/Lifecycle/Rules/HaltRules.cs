using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The kill switch's say in a claim: an order of a halted scope is not sent or checked. Called by the claim rules before
/// anything is claimed.
/// </summary>
internal static class HaltRules
{
    /// <summary>
    /// True when the halt decided the claim instead (the claim rule then does nothing more): every order of the group not
    /// yet final is Rejected with <see cref="RejectionReasonCode.TradingHalted"/>. An order accepted before the halt is
    /// therefore never sent after it; a resend of an order proven absent from IBKR is refused the same way. A leader
    /// whose cancel was asked is left to the claim rule (it is cancelled, which is what was asked).
    /// </summary>
    public static bool Refuses(Transition t)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.Input is not WorkClaimed { Halted: { } halt } || t.Order.CancelRequested)
        {
            return false;
        }

        var reason = halt.RefusalReason();
        foreach (var order in t.Group.Where(o => !Steps.IsFinal(o.Status)).ToList())
        {
            Steps.Reject(t, order, RejectionReasonCode.TradingHalted, reason);
        }

        return true;
    }
}
