namespace OrderProcessor.Orders;

/// <summary>Rules for what came of sending a cancel request. A cancel is only requested: the status poll shows it done.</summary>
internal static class CancelRules
{
    public static readonly Rule Sent = new("await-cancel",
        "IBKR took the request (or may have): the order stays PendingCancel until IBKR reports it cancelled or filled; if it still works after the confirmation timeout, the cancel is sent again.",
        t =>
        {
            var order = t.Order;
            order.LastReason = t.Input is CancelAmbiguous ambiguous ? ambiguous.Reason : null;
            Steps.Schedule(order, OrderWork.Cancel, t.Now + t.Settings.CancelConfirmTimeout);
        });

    public static readonly Rule Refused = new("cancel-refused",
        "IBKR refused the cancel (the order no longer works, or cannot be cancelled): back to working, the CancelOrder is refused with IBKR's text, and the status poll tells how the order ends.",
        t => ClaimRules.GiveUpCancel(t, t.Order, $"IBKR refused the cancel: {t.InputAs<CancelRefused>().Reason}"));

    public static readonly Rule SendAgain = new("cancel-again-later",
        "The cancel provably did not reach IBKR (or IBKR's order id is not known yet): sent again after a backoff; the claim counts the attempts, except for a set-up, token or partner failure, which waits.",
        t =>
        {
            var order = t.Order;
            var failure = t.InputAs<CancelNotSent>().Failure;
            order.LastReason = failure.Reason;
            if (failure.Waits)
            {
                Steps.RefundAttempt(order);
                Steps.Schedule(order, OrderWork.Cancel, t.Now + t.Settings.MaxRetryDelay);
                return;
            }

            Steps.Schedule(order, OrderWork.Cancel, t.Now + t.Settings.Backoff(order.WorkAttempts));
        });
}
