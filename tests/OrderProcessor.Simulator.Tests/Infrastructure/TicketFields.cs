using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderProcessor.Simulator.Tests.Infrastructure;

/// <summary>Adds or removes fields of a ticket built by <see cref="IbkrUser.Ticket"/>, for the fields it has no parameter for.</summary>
public static class TicketFields
{
    /// <summary>The ticket with <paramref name="fields"/> (an anonymous object, property names as IBKR spells them) added or replaced.</summary>
    public static string With(string ticketJson, object fields)
    {
        var ticket = JsonNode.Parse(ticketJson)!.AsObject();
        foreach (var (name, value) in JsonSerializer.SerializeToNode(fields)!.AsObject())
            ticket[name] = value?.DeepClone();
        return ticket.ToJsonString();
    }

    /// <summary>The ticket without the field <paramref name="name"/>.</summary>
    public static string Without(string ticketJson, string name)
    {
        var ticket = JsonNode.Parse(ticketJson)!.AsObject();
        ticket.Remove(name);
        return ticket.ToJsonString();
    }

    /// <summary>A cash-quantity ticket: <c>cashQty</c> and no <c>quantity</c>.</summary>
    public static string Cash(int conid, string orderType, string side, decimal cashQty, decimal? price = null, string tif = "DAY", string? cOID = null) =>
        With(Without(IbkrUser.Ticket(conid, orderType, side, 1, price: price, tif: tif, cOID: cOID), "quantity"), new { cashQty });
}
