using System.Globalization;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Demo;

/// <summary>
/// The demo's checks of the fuller IBKR ticket, read from what IBKR got and did (the simulator's ledger) and from the
/// events: the cash order spent no more than its cash and left less than 0.0001 share of it unspent, the MIDPRICE order
/// filled at the quote's midpoint, the Adaptive order carried its strategy and priority, the future its manual indicator.
/// </summary>
public static class DemoTicketChecks
{
    public static (Table Table, IReadOnlyList<(string Check, bool Passed, string Figures)> Checks) Of(DemoTickets tickets,
        IReadOnlyDictionary<Guid, string> clientOrderIds, IReadOnlyList<SimulatorClient.LedgerEntry> ledger, IReadOnlyList<IOrderEvent> events)
    {
        SimulatorClient.LedgerEntry? AtIbkr(Guid orderId) =>
            clientOrderIds.TryGetValue(orderId, out var coid) ? ledger.FirstOrDefault(l => l.ClientOrderId == coid) : null;
        static string N(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

        var table = new Table().Title("the fuller IBKR ticket, as IBKR got and filled it (simulator's ledger)").AddColumns("order", "IBKR ticket", "outcome");
        var checks = new List<(string, bool, string)>();

        var cash = AtIbkr(tickets.CashOrder);
        var cashEvent = events.OfType<OrderFilled>().FirstOrDefault(e => e.OrderId == tickets.CashOrder);
        var cashFilled = cash is { Status: "Filled", AvgPrice: { } price } && cash.CashQuantity == tickets.Cash
            && cash.FilledCashAmount <= tickets.Cash && tickets.Cash - cash.FilledCashAmount < price * 0.0001m
            && cashEvent is not null && cashEvent.FilledQuantity == cash.FilledQuantity
            && cashEvent.FilledCashAmount == decimal.Round(cash.FilledCashAmount, 2, MidpointRounding.AwayFromZero);
        var cashFigures = $"cashQty {N(cash?.CashQuantity)}: {N(cash?.FilledQuantity)} shares at {N(cash?.AvgPrice)} = {N(cash?.FilledCashAmount)} (event: {N(cashEvent?.FilledCashAmount)})";
        table.AddRow("cash quantity", Markup.Escape($"{cash?.OrderType} cashQty {N(cash?.CashQuantity)}, no size"), Markup.Escape($"{cash?.Status} {cashFigures}"));
        checks.Add(("cash order filled in fractional shares within its cash", cashFilled, cashFigures));

        var mid = AtIbkr(tickets.MidPriceOrder);
        var midFilled = mid is { Status: "Filled", OrderType: "MIDPRICE" } && mid.AvgPrice == tickets.Midpoint;
        var midFigures = $"quote {tickets.Bid} / {tickets.Ask}, midpoint {tickets.Midpoint}, filled {N(mid?.FilledQuantity)} at {N(mid?.AvgPrice)}";
        table.AddRow("MIDPRICE", Markup.Escape($"{mid?.OrderType}"), Markup.Escape($"{mid?.Status} {midFigures}"));
        checks.Add(("MIDPRICE order filled at the quote's midpoint", midFilled, midFigures));

        var adaptive = AtIbkr(tickets.AdaptiveOrder);
        var priority = adaptive?.StrategyParameters?.GetValueOrDefault("adaptivePriority");
        var adaptiveSent = adaptive is { Status: "Filled", Strategy: "Adaptive" } && priority == "Normal";
        var adaptiveFigures = $"strategy {adaptive?.Strategy ?? "-"}, adaptivePriority {priority ?? "-"}, filled {N(adaptive?.FilledQuantity)} at {N(adaptive?.AvgPrice)}";
        table.AddRow("Adaptive", Markup.Escape($"{adaptive?.OrderType} strategy {adaptive?.Strategy} adaptivePriority {priority}"), Markup.Escape($"{adaptive?.Status} {adaptiveFigures}"));
        checks.Add(("Adaptive order reached IBKR with its strategy and priority", adaptiveSent, adaptiveFigures));

        var future = AtIbkr(tickets.FutureOrder);
        var futureSent = future is { Status: "Filled", SecType: "FUT", ManualIndicator: false };
        var futureFigures = $"secType {future?.SecType ?? "-"}, manualIndicator {future?.ManualIndicator?.ToString() ?? "-"}, filled {N(future?.FilledQuantity)} at {N(future?.AvgPrice)}";
        table.AddRow("future", Markup.Escape($"{future?.SecType} {future?.OrderType} manualIndicator {future?.ManualIndicator}"), Markup.Escape($"{future?.Status} {futureFigures}"));
        checks.Add(("future reached IBKR with its manual indicator", futureSent, futureFigures));
        return (table, checks);
    }
}
