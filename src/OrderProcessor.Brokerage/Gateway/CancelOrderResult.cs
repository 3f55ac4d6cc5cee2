namespace OrderProcessor.Brokerage.Gateway;

/// <summary>
/// A cancel is only <em>requested</em> when IBKR says "Request was submitted": follow the status to see it done.
/// When <see cref="Requested"/> is false, <see cref="RejectionText"/> is IBKR's reason (e.g. "OrderID 1 doesn't exist").
/// </summary>
public sealed record CancelOrderResult(bool Requested, string OrderId, string? Message, string? RejectionText);
