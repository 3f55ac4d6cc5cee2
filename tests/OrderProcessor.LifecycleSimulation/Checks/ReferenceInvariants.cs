using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Checks;

/// <summary>
/// What must hold about the pre-trade controls that need IBKR's reference price (issue 13, item 2) after every schedule;
/// called from <see cref="Invariants.Check"/>.
/// </summary>
public static class ReferenceInvariants
{
    private static readonly RejectionReasonCode[] ReferenceCodes =
        [RejectionReasonCode.MaxNotionalExceeded, RejectionReasonCode.OutsidePriceBand, RejectionReasonCode.ReferencePriceUnavailable];

    /// <summary>One line per broken invariant.</summary>
    public static IEnumerable<string> Check(SimWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var model = world.Model;
        var orders = world.Db.Orders.ToList();

        // An order refused by a reference check never reached IBKR.
        foreach (var refused in world.Db.Events.Where(e => e.Event is OrderRejected r && ReferenceCodes.Contains(r.ReasonCode)))
        {
            if (orders.FirstOrDefault(o => o.OrderId == refused.OrderId) is { } saga && model.PlacedTickets.ContainsKey(saga.ClientOrderId))
            {
                yield return $"{SimWorld.Short(saga.OrderId)} was refused ({((OrderRejected)refused.Event).ReasonCode}) but IBKR has it";
            }
        }

        foreach (var leader in orders.Where(o => o.ReferenceCheck))
        {
            var name = SimWorld.Short(leader.OrderId);

            // A reference-only what-if publishes no MarginCheckCompleted.
            if (leader.MarginCheck == MarginCheckPolicy.None && world.Db.Events.Any(e => e.OrderId == leader.OrderId && e.Event is MarginCheckCompleted))
            {
                yield return $"{name} asked for no margin check but its reference what-if published MarginCheckCompleted";
            }

            // Each ticket IBKR has passed its checks at a reference price IBKR quoted for the leader's contract at market.
            var group = orders.Where(o => o.OrderId == leader.OrderId || o.SubmittedWithOrderId == leader.OrderId).ToList();
            var quotes = model.QuotedReferences.GetValueOrDefault(leader.ClientOrderId) ?? [];
            foreach (var order in group.Where(o => o.Conid == leader.Conid))
            {
                if (!model.PlacedTickets.TryGetValue(order.ClientOrderId, out var ticket))
                {
                    continue;
                }

                if (quotes.Count == 0)
                {
                    yield return $"{SimWorld.Short(order.OrderId)} reached IBKR without a reference price: no what-if of its leader {name} at market gave an order value";
                }
                else if (!quotes.Any(q => Passes(order, ticket, q)))
                {
                    yield return $"{SimWorld.Short(order.OrderId)} reached IBKR as {ticket.OrderType} {ticket.Quantity} at {ticket.Price} although no quoted reference ({string.Join(", ", quotes)}) lets it pass (band {order.RiskPriceBandPercent} %, max notional {order.RiskMaxNotional})";
                }
            }
        }
    }

    private static bool Passes(OrderSaga order, OrderTicket ticket, decimal reference) => order.OrderType switch
    {
        OrderType.Market or OrderType.TrailingStop when order.RiskMaxNotional is { } max => reference * ticket.Quantity <= max,
        OrderType.Limit or OrderType.StopLimit when order.RiskPriceBandPercent is { } band && ticket.Price is { } limit =>
            Math.Abs(limit - reference) / reference * 100m <= band,
        _ => true,
    };
}
