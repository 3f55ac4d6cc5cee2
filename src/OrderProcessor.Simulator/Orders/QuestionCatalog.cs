using System.Globalization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>Which questions IBKR asks for an order, and their texts.</summary>
public static class QuestionCatalog
{
    public const string MarketOrderId = "o10151";
    public const string PriceDeviationId = "o163";

    public static Question MarketOrder() => new(
        MarketOrderId,
        "You are about to submit a market order. Market orders may execute at a price significantly different from the "
        + "current quote.\nAre you sure you want to submit this order?");

    public static Question PriceDeviation(OrderTicket ticket, decimal limitPrice, decimal deviationLimit)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var percent = (deviationLimit * 100m).ToString("0.##", CultureInfo.InvariantCulture);
        return new(
            PriceDeviationId,
            $"The following order \"{ticket.Side} {ticket.Quantity.ToString("0.####", CultureInfo.InvariantCulture)} "
            + $"{ticket.Conid.ToString(CultureInfo.InvariantCulture)} @ {limitPrice.ToString("0.00##", CultureInfo.InvariantCulture)}\" "
            + $"price exceeds \nthe Percentage constraint of {percent}%.\nAre you sure you want to submit this order?");
    }

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
