using OrderProcessor.Simulator.Orders;

namespace OrderProcessor.Simulator.Tests.Infrastructure;

/// <summary>Parsed tickets for the pure rule tests (no host): change the rest with <c>with { ... }</c>.</summary>
public static class Tickets
{
    public const string Account = "DU1234567";

    public static OrderTicket Of(int conid, string orderType = "MKT", decimal quantity = 1m, string tif = "DAY", decimal? price = null, string side = "BUY") =>
        new(conid, orderType, side, quantity, tif, price, null, null, null, null, null, false, null, false);

    /// <summary>A cash-quantity ticket as the parser reads one without <c>quantity</c>: quantity 0.</summary>
    public static OrderTicket Cash(int conid, decimal cashQty, string orderType = "MKT", decimal? price = null) =>
        Of(conid, orderType, 0m, price: price) with { CashQty = cashQty };

    public static string? Refusal(OrderTicket ticket) => OrderTicketRules.Check(ticket, Account);
}
