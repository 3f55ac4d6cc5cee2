namespace OrderProcessor.Brokerage.Gateway;

/// <summary>An accepted ticket: IBKR's order id for our cOID (null when IBKR's answer could not be matched to a ticket).</summary>
public sealed record PlacedOrder(string? ClientOrderId, string OrderId, string? Status);
