using System.Globalization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>Business checks IBKR answers with 200 <c>{"error":...}</c>.</summary>
public static class OrderTicketRules
{
    public static string? Check(OrderTicket ticket, string accountId)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Conid <= 0)
            return $"Invalid contract id: {ticket.Conid.ToString(CultureInfo.InvariantCulture)}";
        if (!ticket.IsCashQuantity && ticket.Quantity <= 0)
            return "Order quantity must be positive";
        if (ticket.AcctId is not null && !string.Equals(ticket.AcctId, accountId, StringComparison.Ordinal))
            return $"Order account {ticket.AcctId} does not match account {accountId}";
        if (ticket.Price is <= 0 || ticket.AuxPrice is <= 0)
            return "Order price must be positive";
        return OrderTypeFields(ticket) ?? InstrumentTicketRules.Check(ticket);
    }

    private static string? OrderTypeFields(OrderTicket ticket) =>
        ticket.OrderType switch
        {
            OrderTypes.Limit when ticket.Price is null => "Missing order price: a LMT order needs 'price'",
            OrderTypes.Stop when ticket.Price is null => "Missing stop price: a STP order needs 'price'",
            OrderTypes.StopLimit when ticket.Price is null || ticket.AuxPrice is null =>
                "A STOP_LIMIT order needs 'price' (limit) and 'auxPrice' (stop)",
            OrderTypes.Trail when ticket.TrailingAmt is null || ticket.TrailingType is null =>
                "A TRAIL order needs 'trailingAmt' and 'trailingType'",
            OrderTypes.TrailLimit when ticket.Price is null || ticket.AuxPrice is null || ticket.TrailingAmt is null || ticket.TrailingType is null =>
                "A TRAILLMT order needs 'price', 'auxPrice', 'trailingAmt' and 'trailingType'",
            _ when ticket.TrailingAmt is <= 0 => "Trailing amount must be positive",
            _ => null,
        };

    /// <summary>Checks how the tickets of one request belong together: one ticket, a bracket, or an OCA group.</summary>
    public static string? CheckGroup(IReadOnlyList<OrderTicket> tickets)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        var coids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tickets.Where(t => t.COID is not null))
        {
            if (!coids.Add(t.COID!))
                return $"Order couldn't be submitted: Local order ID={t.COID} is already registered.";
        }

        foreach (var child in tickets.Where(t => t.ParentId is not null))
        {
            var parent = tickets.FirstOrDefault(t => t.COID == child.ParentId && t.ParentId is null);
            if (parent is null)
                return $"Parent order {child.ParentId} not found in this request";
            if (parent.Conid != child.Conid)
                return "Bracket orders must be for the same contract";
        }

        if (tickets.Count > 1 && tickets.Any(t => t.IsCashQuantity))
            return "Cash quantity orders cannot be part of a bracket or an OCA group";
        if (tickets.Count == 1)
            return tickets[0].ParentId is null ? null : $"Parent order {tickets[0].ParentId} not found in this request";
        var isBracket = tickets.Count(t => t.ParentId is null) == 1;
        var isOca = tickets.All(t => t.IsSingleGroup);
        return isBracket || isOca ? null : "Only one order per request, unless they form a bracket (parentId) or an OCA group (isSingleGroup)";
    }
}
