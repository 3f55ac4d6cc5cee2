using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>A <see cref="Contracts.CancelOrder"/> for an order the processor knows.</summary>
public sealed record CancelRequested(CancelOrder Command) : OrderInput
{
    public string Reason => string.IsNullOrWhiteSpace(Command.Reason) ? "cancel requested" : Command.Reason;
}

/// <summary>A <see cref="Contracts.ModifyOrder"/> for an order the processor knows.</summary>
public sealed record ModifyRequested(ModifyOrder Command) : OrderInput;

/// <summary>
/// A worker claims the order's due work (<see cref="OrderSaga.WorkDue"/>) under a new token; <paramref name="Halted"/> is
/// the active trading halt that covers the order, if any.
/// </summary>
public sealed record WorkClaimed(Guid Token, HaltView? Halted = null) : OrderInput;
