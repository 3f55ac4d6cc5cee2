using System.Globalization;
using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Rules;

namespace OrderProcessor.Simulator.Orders;

/// <summary>What a modify may change (price, quantity, type, tif; never contract or side; the cOID only as the rule allows), and changing it.</summary>
public sealed class OrderModifications(OrderBook book, BehaviourSettings behaviour, SimulatorClock time)
{
    /// <summary>Why the order cannot be modified with this ticket, or null. Checked on arrival and again after the questions.</summary>
    public string? Problem(string accountId, long orderId, OrderTicket ticket)
    {
        lock (book.Gate)
        {
            var id = orderId.ToString(CultureInfo.InvariantCulture);
            var order = book.Find(orderId);
            if (order is null || order.AccountId != accountId)
                return $"OrderID {id} doesn't exist";
            if (order.IsTerminal || order.CancelRequested)
                return $"Order {id} cannot be modified: it is {order.Status}";
            if (order.Conid != ticket.Conid || order.Side != ticket.Side)
                return "The contract and side of an order cannot be modified";
            if (order.CashQty is { } cash)
            {
                // IBKR sizes a cash order itself: its cash and its size stay; price, type and tif may change.
                if (ticket.CashQty != cash || ticket.Quantity != 0)
                    return $"Order {id} cannot be modified: the cash quantity {cash.ToString("0.00", CultureInfo.InvariantCulture)} of a cash quantity order cannot be changed";
            }
            else if (ticket.IsCashQuantity)
            {
                return $"Order {id} cannot be modified: a quantity order cannot become a cash quantity order";
            }
            else if (ticket.Quantity < order.FilledQuantity)
            {
                return "The new quantity is below the quantity already filled";
            }
            if (!IbkrRules.IsModifyClientOrderIdAccepted(order.COID, ticket.COID, behaviour.Current.ModifyClientOrderId))
            {
                return ticket.COID is null
                    ? $"Order {id} cannot be modified: the ticket must repeat the order's cOID {order.COID}"
                    : $"Order {id} cannot be modified: cOID {ticket.COID} is not the order's cOID {order.COID ?? "(none)"}";
            }

            return null;
        }
    }

    public IResult Apply(string accountId, long orderId, OrderTicket ticket)
    {
        var problem = Problem(accountId, orderId, ticket);
        if (problem is not null)
            return IbkrResults.Rejected(problem);
        lock (book.Gate)
        {
            var order = book.Find(orderId)!;
            order.OrderType = ticket.OrderType;
            if (!order.IsCashQuantity)
                order.Quantity = ticket.Quantity;
            order.AllOrNone = ticket.AllOrNone;
            order.UseAdaptive = ticket.UseAdaptive;
            order.Strategy = ticket.Strategy;
            order.StrategyParameters = ticket.StrategyParameters;
            order.Price = ticket.Price;
            order.AuxPrice = ticket.AuxPrice;
            order.TrailingAmt = ticket.TrailingAmt;
            order.TrailingType = ticket.TrailingType;
            order.TrailingStop = null;
            order.Tif = ticket.Tif;
            order.LastChangeAt = time.GetUtcNow();
            book.MarkChanged(order);
            return Results.Json(new[] { OrderDesk.Submitted(order) });
        }
    }
}
