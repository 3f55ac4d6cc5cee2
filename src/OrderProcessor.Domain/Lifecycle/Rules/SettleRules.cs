using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// Rules for an order IBKR has but no longer lists (it ended in an earlier brokerage session: before a crash, a
/// restart, a re-init, a night): settled from the trades since it was first sent, or handed to an operator.
/// </summary>
internal static class SettleRules
{
    public static readonly Rule Filled = new("settle-filled",
        "The trades since it was sent add up to its quantity: Filled, with the trades' quantity and average price. (A cash-quantity order has no quantity to add up to: the trades alone never say it filled.)",
        t =>
        {
            var read = t.InputAs<SettleRead>();
            var order = t.Order;
            TakeIn(order, read);
            Steps.CompleteFill(t, order);
        });

    public static readonly Rule Ended = new("settle-ended",
        "Not working any more (IBKR lists every working order) and expected to have ended: a cancel was asked for, or its time in force (IOC, OPG, a DAY order of an earlier day) is over. Cancelled with what the trades show filled. (A cash-quantity order with fills is not: the trades cannot tell whether they spent its whole cash, so it goes to an operator.)",
        t =>
        {
            var read = t.InputAs<SettleRead>();
            var order = t.Order;
            if (TakeIn(order, read))
            {
                // It ended: nothing of it is open any more.
                Steps.EmitPartialFill(t, order, 0);
            }

            Steps.Cancel(t, order, order.CancelRequested
                ? order.CancelReason ?? "cancel requested"
                : $"ended at IBKR in an earlier brokerage session ({order.TimeInForce} order no longer listed)");
        });

    public static readonly Rule Undetermined = new("settle-to-operator",
        "IBKR cannot tell how it ended (not fully filled, and neither a cancel nor its time in force explains the end, or it is older than the trades reach): what the trades show filled is reported and an operator settles it.",
        t =>
        {
            var read = t.InputAs<SettleRead>();
            var order = t.Order;
            if (TakeIn(order, read))
            {
                Steps.EmitPartialFill(t, order, null);
            }

            var of = FillFigures.IsCashQuantity(order) ? $"a cash quantity of {order.CashQuantity}" : $"{order.Quantity}";
            Steps.HandToOperator(t, order, read.TradesCoverItsLife
                ? $"IBKR no longer lists the order (it ended in an earlier brokerage session) and cannot say how; its trades show {order.FilledQuantity} of {of} filled"
                : $"IBKR no longer lists the order and it was first sent longer ago than IBKR's trades reach; {order.FilledQuantity} of {of} known filled");
        });

    public static readonly Rule ReadAgain = new("settle-again-later",
        "The trades could not be read: read again after a backoff (the claim counts the attempts, except for a set-up, token or partner failure, which waits; past the bound an operator settles it).",
        t =>
        {
            var order = t.Order;
            var failure = t.InputAs<ReadFailed>().Failure;
            order.LastReason = failure.Reason;
            if (failure.Waits)
            {
                Steps.RefundAttempt(order);
                Steps.Schedule(order, OrderWork.Settle, t.Now + t.Settings.MaxRetryDelay);
                return;
            }

            Steps.Schedule(order, OrderWork.Settle, t.Now + t.Settings.Backoff(order.WorkAttempts));
        });

    /// <summary>The SettleRead's kind for this order: filled, ended, or undetermined.</summary>
    internal static LifecycleInput Classify(OrderSaga order, SettleRead read, DateTimeOffset now)
    {
        if (order.Quantity is > 0 and var quantity && read.TradesFilled >= quantity)
        {
            return LifecycleInput.SettleFilled;
        }

        if (!read.TradesCoverItsLife)
        {
            return LifecycleInput.SettleUndetermined;
        }

        if (FillFigures.IsCashQuantity(order) && Math.Max(read.TradesFilled, order.FilledQuantity) > 0)
        {
            // How many units the cash came to is IBKR's alone to say, and the trades do not: whether these fills are all
            // of it (Filled) or part (Cancelled) cannot be told from them. Guessing either misreports a real fill.
            return LifecycleInput.SettleUndetermined;
        }

        var ended = order.CancelRequested
            || order.TimeInForce is TimeInForce.ImmediateOrCancel or TimeInForce.AtTheOpening
            || (order.TimeInForce is TimeInForce.Day && (order.FirstSentAt ?? order.CreatedAt).UtcDateTime.Date < now.UtcDateTime.Date);
        return ended ? LifecycleInput.SettleEnded : LifecycleInput.SettleUndetermined;
    }

    /// <summary>Takes in the trades' figures; true when they show more filled than known.</summary>
    private static bool TakeIn(OrderSaga order, SettleRead read)
    {
        order.BrokerOrderId ??= read.BrokerOrderId;
        if (read.TradesFilled <= order.FilledQuantity)
        {
            return false;
        }

        order.FilledQuantity = read.TradesFilled;
        order.AveragePrice = read.TradesAveragePrice ?? order.AveragePrice;
        return true;
    }
}
