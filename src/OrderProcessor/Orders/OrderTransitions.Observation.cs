using OrderProcessor.Contracts;
using OrderProcessor.Persistence;

namespace OrderProcessor.Orders;

public static partial class OrderTransitions
{
    /// <summary>
    /// Feeds what IBKR reports about an order into its saga. Observations may come late, twice or out of order
    /// (two polls, a poll and a reconciliation): filled quantity never goes back, a final order stays final, and a
    /// working report does not undo a pending cancel.
    /// </summary>
    public static OrderDecision Observe(OrderSaga order, BrokerOrderObservation observation, EventStamp stamp)
    {
        var decision = new OrderDecision();
        if (IsFinal(order.Status))
        {
            return decision;
        }

        if (order.Status == OrderStatus.Submitting)
        {
            MarkSubmitted(decision, order, observation.BrokerOrderId, observation.Status, stamp);
        }

        order.BrokerOrderId ??= observation.BrokerOrderId;
        order.BrokerStatus = observation.Status;
        var quantity = order.Quantity ?? observation.FilledQuantity + observation.RemainingQuantity;
        var filledMore = observation.FilledQuantity > order.FilledQuantity;
        if (filledMore)
        {
            order.FilledQuantity = observation.FilledQuantity;
            order.AveragePrice = observation.AveragePrice ?? order.AveragePrice;
        }

        switch (observation.Status)
        {
            case "Filled":
            case var _ when order.FilledQuantity >= quantity && quantity > 0:
                Finish(order, OrderStatus.Filled, null);
                decision.Emit(order, stamp, new OrderFilled { FilledQuantity = order.FilledQuantity, AveragePrice = order.AveragePrice });
                break;

            case "Cancelled":
                if (filledMore)
                {
                    EmitPartialFill(decision, order, quantity, stamp);
                }

                Finish(order, OrderStatus.Cancelled, order.CancelReason);
                decision.Emit(order, stamp, new OrderCancelled
                {
                    FilledQuantity = order.FilledQuantity,
                    Reason = order.CancelReason ?? (order.CancelRequested ? null : "cancelled at IBKR (by the destination, the time in force, or another platform)"),
                });
                break;

            case "Inactive":
                Finish(order, OrderStatus.Rejected, "IBKR reports the order inactive: it is not working at the destination");
                decision.Emit(order, stamp, new OrderRejected
                {
                    ReasonCode = RejectionReasonCode.BrokerRejected,
                    Reason = order.LastReason!,
                    Command = nameof(PlaceOrder),
                    UserId = order.UserId,
                    AccountId = order.AccountId,
                });
                break;

            case "PendingCancel" or "PreCancelled" when order.Status != OrderStatus.PendingCancel:
                if (filledMore)
                {
                    EmitPartialFill(decision, order, quantity, stamp);
                }

                ChangeStatus(decision, order, OrderStatus.PendingCancel, observation.Status, order.CancelReason ?? "cancel pending at IBKR", stamp);
                break;

            default:
                if (filledMore)
                {
                    EmitPartialFill(decision, order, quantity, stamp);
                }
                else if (order.Status == OrderStatus.Submitted && observation.Status is "PreSubmitted" or "Submitted" or "PendingSubmit")
                {
                    ChangeStatus(decision, order, OrderStatus.Working, observation.Status, null, stamp);
                }

                break;
        }

        return decision;
    }

    /// <summary>The states an order never leaves.</summary>
    public static readonly OrderStatus[] FinalStatuses = [OrderStatus.Filled, OrderStatus.Cancelled, OrderStatus.Rejected, OrderStatus.Failed];

    public static bool IsFinal(OrderStatus status) => Array.IndexOf(FinalStatuses, status) >= 0;

    private static void EmitPartialFill(OrderDecision decision, OrderSaga order, decimal quantity, EventStamp stamp)
    {
        if (order.Status != OrderStatus.PendingCancel)
        {
            order.Status = OrderStatus.PartiallyFilled;
        }

        decision.Emit(order, stamp, new OrderPartiallyFilled
        {
            FilledQuantity = order.FilledQuantity,
            RemainingQuantity = Math.Max(0, quantity - order.FilledQuantity),
            AveragePrice = order.AveragePrice,
        });
    }

    private static void ChangeStatus(OrderDecision decision, OrderSaga order, OrderStatus status, string? brokerStatus, string? reason, EventStamp stamp)
    {
        var previous = order.Status;
        order.Status = status;
        decision.Emit(order, stamp, new OrderStatusChanged { PreviousStatus = previous, Status = status, BrokerStatus = brokerStatus, Reason = reason });
    }
}
