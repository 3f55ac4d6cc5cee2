using System.Globalization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>Which questions IBKR asks for an order, and their texts.</summary>
public static class QuestionCatalog
{
    public const string MarketOrderId = "o10151";
    public const string PriceDeviationId = "o163";
    public const string CashQuantityOrderId = "o10223";

    public static Question MarketOrder() => new(
        MarketOrderId,
        "You are about to submit a market order. Market orders may execute at a price significantly different from the "
        + "current quote.\nAre you sure you want to submit this order?");

    /// <summary>
    /// IBKR's cash quantity confirmation, with the text the OpenAPI document gives for o10223 (its suppressible message
    /// ids): asked for every cash-quantity order unless suppressed.
    /// </summary>
    public static Question CashQuantityOrder() => new(
        CashQuantityOrderId,
        "<h4>Cash Quantity Order Confirmation</h4>Orders that express size using a monetary value (cash quantity) are provided "
        + "on a non-guaranteed basis. The system simulates the order by cancelling it once the specified amount is spent (for "
        + "buy orders) or collected (for sell orders). In addition to the monetary value, the order uses a maximum size that "
        + "is calculated using the Cash Quantity Estimate Factor, which you can modify in Presets.");

    public static Question PriceDeviation(OrderTicket ticket, decimal limitPrice, decimal deviationLimit)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var percent = (deviationLimit * 100m).ToString("0.##", CultureInfo.InvariantCulture);
        return new(
            PriceDeviationId,
            $"The following order \"{ticket.Side} {SizeOf(ticket)} "
            + $"{ticket.Conid.ToString(CultureInfo.InvariantCulture)} @ {limitPrice.ToString("0.00##", CultureInfo.InvariantCulture)}\" "
            + $"price exceeds \nthe Percentage constraint of {percent}%.\nAre you sure you want to submit this order?");
    }

    private static string SizeOf(OrderTicket ticket) =>
        ticket.CashQty is { } cash
            ? cash.ToString("0.00", CultureInfo.InvariantCulture) + " " + Instruments.InstrumentCatalog.Of(ticket.Conid).Currency
            : ticket.Quantity.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>The questions, in asking order and each id once, that the tickets raise before suppression.</summary>
    public static IReadOnlyList<Question> For(
        IEnumerable<OrderTicket> tickets, Func<int, decimal> referencePrice, decimal deviationLimit, IReadOnlyList<Question> extra)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        ArgumentNullException.ThrowIfNull(referencePrice);
        var questions = new List<Question>();
        foreach (var ticket in tickets)
        {
            if (ticket.OrderType == OrderTypes.Market)
                questions.Add(MarketOrder());
            if (ticket.IsCashQuantity)
                questions.Add(CashQuantityOrder());
            if (OrderTypes.HasLimitPrice(ticket.OrderType) && ticket.Price is { } limit)
            {
                var reference = referencePrice(ticket.Conid);
                if (reference > 0 && Math.Abs(limit - reference) / reference > deviationLimit)
                    questions.Add(PriceDeviation(ticket, limit, deviationLimit));
            }
        }

        questions.AddRange(extra);
        return questions.DistinctBy(q => q.Id).ToList();
    }
}
