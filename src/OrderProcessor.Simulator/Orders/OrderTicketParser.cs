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
            var quantity = RequiredNumber(element, "quantity");
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
                OptionalBool(element, "outsideRTH") ?? false), null);
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

    private sealed class TicketFormatException(string message) : Exception(message);
}
