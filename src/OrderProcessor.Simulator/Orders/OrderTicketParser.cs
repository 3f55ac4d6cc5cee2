using System.Text.Json;

namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// Reads order tickets with IBKR's strictness: keys and values are case-sensitive and JSON types must be exact.
/// A failure here is "invalid content", which IBKR answers with HTTP 500.
/// </summary>
public static class OrderTicketParser
{
    /// <summary>Parses <c>{"orders":[ticket, ...]}</c>.</summary>
    public static (IReadOnlyList<OrderTicket>? Tickets, string? Error) ParseSubmission(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("orders", out var orders) || orders.ValueKind != JsonValueKind.Array)
            return (null, "Request body must be an object with an 'orders' array");
        if (orders.GetArrayLength() == 0)
            return (null, "'orders' must not be empty");
        var tickets = new List<OrderTicket>();
        foreach (var element in orders.EnumerateArray())
        {
            var (ticket, error) = ParseTicket(element);
            if (ticket is null)
                return (null, error);
            tickets.Add(ticket);
        }

        return (tickets, null);
    }

    /// <summary>Parses one ticket (the modify body is a single ticket, not an array).</summary>
    public static (OrderTicket? Ticket, string? Error) ParseTicket(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return (null, "Each order must be a JSON object");
        try
        {
            var conid = RequiredInt(element, "conid");
            var orderType = RequiredString(element, "orderType");
            if (!OrderTypes.All.Contains(orderType))
                return (null, $"Invalid order type: {orderType}");
            var side = RequiredString(element, "side");
            if (!OrderTypes.Sides.Contains(side))
                return (null, $"Invalid side: {side}");
            // IBKR's schema requires quantity, but a cash-quantity order's size is the cash: IBKR sizes the order itself
            // ("Cash Quantity order cannot specify size", TWS API error 10293). Modelled: with cashQty, quantity may be
            // left out or 0 (read as 0); a positive quantity beside cashQty is refused by the ticket rules.
            var cashQty = OptionalNumber(element, "cashQty");
            var quantity = cashQty is null ? RequiredNumber(element, "quantity") : OptionalNumber(element, "quantity") ?? 0m;
            var tif = RequiredString(element, "tif");
            if (!OrderTypes.TimesInForce.Contains(tif))
                return (null, $"Invalid tif: {tif}");
            var trailingType = OptionalString(element, "trailingType");
            if (trailingType is not null and not "amt" and not "%")
                return (null, $"Invalid trailingType: {trailingType}");
            return (new OrderTicket(
                conid, orderType, side, quantity, tif,
                OptionalNumber(element, "price"),
                OptionalNumber(element, "auxPrice"),
                OptionalNumber(element, "trailingAmt"),
                trailingType,
                OptionalString(element, "cOID"),
                OptionalString(element, "parentId"),
                OptionalBool(element, "isSingleGroup") ?? false,
                OptionalString(element, "acctId"),
                OptionalBool(element, "outsideRTH") ?? false)
            {
                CashQty = cashQty,
                SecType = OptionalString(element, "secType"),
                ListingExchange = OptionalString(element, "listingExchange"),
                Conidex = OptionalString(element, "conidex"),
                Strategy = OptionalString(element, "strategy"),
                StrategyParameters = OptionalParameters(element, "strategyParameters"),
                UseAdaptive = OptionalBool(element, "useAdaptive") ?? false,
                AllOrNone = OptionalBool(element, "allOrNone") ?? false,
                ManualIndicator = OptionalBool(element, "manualIndicator"),
                IsCcyConv = OptionalBool(element, "isCcyConv") ?? false,
            }, null);
        }
        catch (TicketFormatException e)
        {
            return (null, e.Message);
        }
    }

    private static int RequiredInt(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            throw new TicketFormatException($"Missing required field '{name}'");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var value))
            throw new TicketFormatException($"Field '{name}' must be an integer");
        return value;
    }

    private static string RequiredString(JsonElement e, string name) =>
        OptionalString(e, name) ?? throw new TicketFormatException($"Missing required field '{name}'");

    private static decimal RequiredNumber(JsonElement e, string name) =>
        OptionalNumber(e, name) ?? throw new TicketFormatException($"Missing required field '{name}'");

    private static string? OptionalString(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new TicketFormatException($"Field '{name}' must be a string");
    }

    private static decimal? OptionalNumber(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) ? d : throw new TicketFormatException($"Field '{name}' must be a number");
    }

    private static bool? OptionalBool(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw new TicketFormatException($"Field '{name}' must be a boolean");
    }

    /// <summary>
    /// <c>strategyParameters</c>: an object whose values IBKR documents as strings "and not always type string, sometimes
    /// bool"; numbers are taken too. Kept as text (a boolean as "true"/"false"); a nested object or array is invalid.
    /// </summary>
    private static Dictionary<string, string>? OptionalParameters(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        if (v.ValueKind != JsonValueKind.Object)
            throw new TicketFormatException($"Field '{name}' must be an object");
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            parameters[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => p.Value.GetRawText(),
                _ => throw new TicketFormatException($"Field '{name}.{p.Name}' must be a string, a number or a boolean"),
            };
        }

        return parameters;
    }

    private sealed class TicketFormatException(string message) : Exception(message);
}
