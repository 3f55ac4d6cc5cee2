using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Rules;

namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// Margins of a simulated account: equity is the configured AccountEquity (P&amp;L is not modelled); initial and
/// maintenance margins are fixed rates of the absolute value of every position at the reference price, times the
/// contract's multiplier (a future's 50). Commission and equity are in USD (every catalog instrument trades in USD).
/// </summary>
public sealed class MarginCalculator(OrderBook book, MarketPrices market, IOptions<SimulatorOptions> options)
{
    public MarginImpact Impact(string accountId, OrderTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var o = options.Value;
        var instrument = InstrumentCatalog.Of(ticket.Conid);
        var price = ticket.OrderType switch
        {
            OrderTypes.MidPrice => market.QuoteOf(ticket.Conid).Midpoint,
            OrderTypes.Market or OrderTypes.Trail => market.PriceOf(ticket.Conid),
            _ => ticket.Price ?? market.PriceOf(ticket.Conid),
        };

        // A cash-quantity order is worth its cash; its size is what the cash buys at the price (rounded down).
        var quantity = ticket.CashQty is { } cash ? FractionalQuantity.UnitsFor(cash, price) : ticket.Quantity;
        var amount = ticket.CashQty ?? price * quantity * instrument.Multiplier;
        var positions = book.PositionsOf(accountId);
        var grossCurrent = positions.Sum(p => Math.Abs(p.Quantity) * market.PriceOf(p.Conid) * InstrumentCatalog.Of(p.Conid).Multiplier);
        var positionCurrent = positions.Where(p => p.Conid == ticket.Conid).Sum(p => p.Quantity);
        var positionAfter = positionCurrent + (ticket.Side == "BUY" ? quantity : -quantity);
        var grossAfter = grossCurrent
            + (Math.Abs(positionAfter) * price - Math.Abs(positionCurrent) * market.PriceOf(ticket.Conid)) * instrument.Multiplier;
        var commission = Math.Round(Math.Max(1m, quantity * 0.005m), 2, MidpointRounding.AwayFromZero);
        return new MarginImpact(
            amount,
            instrument.UnitName,
            price,
            quantity,
            commission,
            o.AccountEquity,
            grossCurrent * o.InitialMarginRate,
            grossAfter * o.InitialMarginRate,
            grossCurrent * o.MaintenanceMarginRate,
            grossAfter * o.MaintenanceMarginRate,
            positionCurrent,
            positionAfter);
    }

    public static OrderPreview Preview(MarginImpact impact, string? warn)
    {
        ArgumentNullException.ThrowIfNull(impact);
        return new OrderPreview(
            new PreviewAmount(
                $"{IbkrNumberFormat.Money(impact.Amount)} {impact.Currency} ({IbkrNumberFormat.Quantity(impact.Quantity)} {impact.UnitName})",
                $"{IbkrNumberFormat.Compact(impact.Commission)} USD",
                $"{IbkrNumberFormat.Money(impact.Amount + impact.Commission)} {impact.Currency}"),
            Figures(impact.EquityCurrent, impact.EquityAfter),
            Figures(impact.InitialCurrent, impact.InitialAfter),
            Figures(impact.MaintenanceCurrent, impact.MaintenanceAfter),
            new PreviewFigures(
                IbkrNumberFormat.Plain(impact.PositionCurrent),
                IbkrNumberFormat.Plain(impact.PositionAfter - impact.PositionCurrent),
                IbkrNumberFormat.Plain(impact.PositionAfter)),
            warn,
            impact.ExceedsEquity ? impact.InsufficientEquityText() : null);

        static PreviewFigures Figures(decimal current, decimal after) =>
            new(IbkrNumberFormat.Whole(current), IbkrNumberFormat.Whole(after - current), IbkrNumberFormat.Whole(after));
    }
}
