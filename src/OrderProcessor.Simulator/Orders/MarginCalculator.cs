using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Market;

namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// Margins of a simulated account: equity is the configured AccountEquity (P&amp;L is not modelled); initial and
/// maintenance margins are fixed rates of the absolute value of every position at the reference price.
/// </summary>
public sealed class MarginCalculator(OrderBook book, MarketPrices market, IOptions<SimulatorOptions> options)
{
    public MarginImpact Impact(string accountId, OrderTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var o = options.Value;
        var price = ticket.OrderType is OrderTypes.Market or OrderTypes.Trail or OrderTypes.MidPrice || ticket.Price is null
            ? market.PriceOf(ticket.Conid)
            : ticket.Price.Value;
        var positions = book.PositionsOf(accountId);
        var grossCurrent = positions.Sum(p => Math.Abs(p.Quantity) * market.PriceOf(p.Conid));
        var positionCurrent = positions.Where(p => p.Conid == ticket.Conid).Sum(p => p.Quantity);
        var positionAfter = positionCurrent + (ticket.Side == "BUY" ? ticket.Quantity : -ticket.Quantity);
        var grossAfter = grossCurrent - Math.Abs(positionCurrent) * market.PriceOf(ticket.Conid) + Math.Abs(positionAfter) * price;
        var commission = Math.Round(Math.Max(1m, ticket.Quantity * 0.005m), 2, MidpointRounding.AwayFromZero);
        return new MarginImpact(
            price,
            ticket.Quantity,
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
                $"{IbkrNumberFormat.Money(impact.Amount)} USD ({IbkrNumberFormat.Quantity(impact.Quantity)} Shares)",
                $"{IbkrNumberFormat.Compact(impact.Commission)} USD",
                $"{IbkrNumberFormat.Money(impact.Amount + impact.Commission)} USD"),
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
