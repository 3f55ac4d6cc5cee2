using OrderProcessor.Contracts;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>One line per event, for live output and histories.</summary>
public static class EventText
{
    public static string Describe(IOrderEvent orderEvent) => orderEvent switch
    {
        OrderAccepted a => $"accepted: {a.Side} {(a.CashQuantity is { } cash ? $"cash {cash}" : a.Quantity)} {a.OrderType} conid {a.Conid} for {a.UserId}/{a.AccountId} (cOID {a.ClientOrderId})",
        OrderRejected r => $"rejected ({r.ReasonCode}): {r.Reason}",
        OrderSubmitted s => $"submitted: IBKR order {s.BrokerOrderId} ({s.BrokerStatus})",
        OrderStatusChanged c => $"status {c.PreviousStatus} -> {c.Status}{(c.Reason is null ? string.Empty : ": " + c.Reason)}",
        OrderPartiallyFilled p => $"partially filled: {p.FilledQuantity} done, {p.RemainingQuantity} open, avg {p.AveragePrice}{CashText(p.FilledCashAmount)}",
        OrderFilled f => $"filled: {f.FilledQuantity} at avg {f.AveragePrice}{CashText(f.FilledCashAmount)}",
        OrderCancelled c => $"cancelled ({c.FilledQuantity} filled before){(c.Reason is null ? string.Empty : ": " + c.Reason)}",
        OrderHeld h => $"held ({h.Cause}, {h.Region}): {h.Reason}; expected back {h.ExpectedUntil?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "(not known)"}, rejected after {h.RejectAfter.ToString("u", System.Globalization.CultureInfo.InvariantCulture)}",
        OrderFailed f => $"failed ({f.FailureKind}): {f.Reason}",
        MarginCheckCompleted m => $"margin check: initial after {m.Initial.After} {m.Currency}, equity after {m.Equity.After}{(m.Approved is { } ok ? ok ? " (approved)" : " (refused: " + m.PolicyReason + ")" : string.Empty)}",
        _ => orderEvent.GetType().Name,
    };

    // A cash-quantity order's fills also say how much cash they spent (or took in).
    private static string CashText(decimal? cash) => cash is { } amount ? $", cash {amount}" : string.Empty;
}
