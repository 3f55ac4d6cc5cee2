using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Checks;

/// <summary>What a batch of schedules exercised of fractional and cash-quantity orders, all-or-none and MIDPRICE.</summary>
public sealed class FillCoverage
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private decimal? _largestCashExcess;
    private decimal? _smallestCashLeft;

    private void Add(string what, long count) => _counts[what] = _counts.GetValueOrDefault(what) + count;

    public void Add(SimWorld world)
    {
        var atIbkr = world.Model.Ledger.DistinctBy(o => o.ClientOrderId).ToList();
        Add("fractional orders at IBKR", atIbkr.Count(o => o.Terms.Fractional));
        Add("cash orders at IBKR", atIbkr.Count(o => o.Terms.CashQuantity is not null));
        Add("cash orders filled at IBKR", atIbkr.Count(o => o.Terms.CashQuantity is not null && o.State == BrokerOrderState.Filled));
        Add("cash orders not telling their total", atIbkr.Count(o => o.Terms.CashQuantity is not null && !o.TellsTotal));
        Add("all-or-none orders at IBKR", atIbkr.Count(o => o.Terms.AllOrNone));
        Add("MIDPRICE orders at IBKR", atIbkr.Count(o => o.Terms.MidPrice));
        Add("cash-sized orders the validator refused as cash (sent by quantity)", world.Orders.Count(o => o.CashRefused));

        var cashOrders = world.Db.Orders.Where(FillFigures.IsCashQuantity).ToDictionary(o => o.OrderId);
        foreach (var saga in cashOrders.Values.Where(s => s.Status is OrderStatus.Filled or OrderStatus.Cancelled or OrderStatus.NeedsAttention))
        {
            Add("cash orders ended " + saga.Status, 1);
        }

        // Of those an operator has: the ones IBKR no longer listed with fills the trades show (they cannot tell whether the
        // fills spent all the cash), and the ones whose IBKR order filled in full.
        Add("cash orders settled by an operator from the trades", cashOrders.Values.Count(s => s.Status == OrderStatus.NeedsAttention
            && s.LastReason?.Contains("a cash quantity of", StringComparison.Ordinal) == true));
        Add("cash orders filled at IBKR left to an operator", cashOrders.Values.Count(s => s.Status == OrderStatus.NeedsAttention
            && atIbkr.Any(o => o.ClientOrderId == s.ClientOrderId && o.State == BrokerOrderState.Filled)));

        foreach (var committed in world.Db.Events)
        {
            var (filled, cash) = committed.Event switch
            {
                OrderPartiallyFilled p => (p.FilledQuantity, p.FilledCashAmount),
                OrderFilled f => (f.FilledQuantity, f.FilledCashAmount),
                _ => (-1m, null),
            };
            if (filled < 0)
            {
                continue;
            }

            Add("fill events checked", 1);
            Add("fill events of fractional quantities", decimal.Truncate(filled) != filled ? 1 : 0);
            if (cashOrders.TryGetValue(committed.OrderId, out var order) && cash is { } amount)
            {
                Add("fill events with a cash amount", 1);
                var excess = amount - order.CashQuantity!.Value;
                _largestCashExcess = _largestCashExcess is { } largest && largest >= excess ? largest : excess;
                if (committed.Event is OrderFilled)
                {
                    _smallestCashLeft = _smallestCashLeft is { } smallest && smallest <= -excess ? smallest : -excess;
                }
            }
        }
    }

    public string Summary() => "[simulate] fractional and cash: "
        + string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))
        + $", largest cash filled over the cash quantity {_largestCashExcess?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"
        + $" (bound {FillInvariants.CashRoundingBound}), least cash left by a filled cash order {_smallestCashLeft?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";
}
