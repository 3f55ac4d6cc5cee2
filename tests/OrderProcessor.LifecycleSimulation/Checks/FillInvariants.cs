using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Checks;

/// <summary>
/// The fill events of fractional and cash-quantity orders (and of every other order: the rules are the same), checked
/// with exact decimals against IBKR's executions:
/// <list type="bullet">
/// <item>the fill deltas a consumer adds up (each fill event's cumulative quantity less the previous one's) sum to the
/// order's final filled quantity exactly, and for an ended order to what IBKR's executions of it sum to;</item>
/// <item>no fill event reports a quantity (filled, open) with more than IBKR's 4 decimals;</item>
/// <item>a cash-quantity order's fill events carry the cash filled, never more than its cash quantity plus
/// <see cref="CashRoundingBound"/>; an order placed with a quantity carries none.</item>
/// </list>
/// </summary>
public static class FillInvariants
{
    /// <summary>
    /// How far a cash order's filled cash may exceed its cash quantity: half a cent, the most rounding the cash filled to
    /// the cent can add. IBKR converts the cash into units rounded down to 0.0001 at the price it fills at, so the exact
    /// cost never exceeds the cash, and in this model none ever does (a bound of 0 holds); the half cent is what the
    /// event's rounding is allowed, and what an IBKR that rounded its average price would need.
    /// </summary>
    public const decimal CashRoundingBound = 0.005m;

    public static IEnumerable<string> Check(SimWorld world)
    {
        var events = world.Db.Events.Where(e => e.Sequence > 0).GroupBy(e => e.OrderId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Sequence).Select(e => e.Event).ToList());
        foreach (var saga in world.Db.Orders)
        {
            var name = $"{SimWorld.Short(saga.OrderId)} ({(FillFigures.IsCashQuantity(saga) ? $"cash {saga.CashQuantity}" : $"quantity {saga.Quantity}")})";
            var chain = events.GetValueOrDefault(saga.OrderId, []);
            var (deltas, previous) = (0m, 0m);
            foreach (var e in chain)
            {
                var (filled, open, cash) = e switch
                {
                    OrderPartiallyFilled p => (p.FilledQuantity, (decimal?)p.RemainingQuantity, p.FilledCashAmount),
                    OrderFilled f => (f.FilledQuantity, null, f.FilledCashAmount),
                    OrderCancelled c => (c.FilledQuantity, null, null),
                    _ => (-1m, null, null),
                };
                if (filled < 0)
                {
                    continue;
                }

                foreach (var quantity in new[] { filled, open }.OfType<decimal>().Where(q => decimal.Round(q, FillFigures.QuantityDecimals) != q))
                {
                    yield return $"{name}: {e.GetType().Name} reports {quantity}, more than 4 decimals";
                }

                if (e is OrderCancelled)
                {
                    if (filled != deltas)
                    {
                        yield return $"{name}: OrderCancelled reports {filled} filled; its fill events' deltas sum to {deltas}";
                    }

                    continue;
                }

                deltas += filled - previous;
                previous = filled;
                if (FillFigures.IsCashQuantity(saga))
                {
                    if (cash is null && e is OrderFilled or OrderPartiallyFilled { AveragePrice: not null })
                    {
                        yield return $"{name}: {e.GetType().Name}({filled}) carries no filled cash amount";
                    }
                    else if (cash > saga.CashQuantity + CashRoundingBound)
                    {
                        yield return $"{name}: {e.GetType().Name}({filled}) reports {cash} of cash filled, more than the cash quantity {saga.CashQuantity} (+{CashRoundingBound})";
                    }
                }
                else if (cash is not null)
                {
                    yield return $"{name}: {e.GetType().Name}({filled}) reports a filled cash amount ({cash}) for an order placed with a quantity";
                }
            }

            if (deltas != saga.FilledQuantity)
            {
                yield return $"{name}: its fill events' deltas sum to {deltas}; it has {saga.FilledQuantity} filled";
            }

            var executed = world.Model.Executions.Where(x => x.ClientOrderId == saga.ClientOrderId).Sum(x => x.Quantity);
            if (saga.Status is OrderStatus.Filled or OrderStatus.Cancelled && deltas != executed)
            {
                yield return $"{name}: ended {saga.Status} with fill deltas summing to {deltas}; IBKR's executions sum to {executed}";
            }
        }
    }
}
