namespace OrderProcessor.Orders;

/// <summary>A status poll (or reconciliation) saw the order in IBKR's live orders.</summary>
public sealed record Observed(BrokerOrderObservation Observation) : OrderInput;

/// <summary>
/// A status poll did not list the order although the processor knows IBKR has it. IBKR lists every working order and
/// those that ended in the current brokerage session, so an order that stays unlisted ended in an earlier one.
/// </summary>
public sealed record Unlisted : OrderInput
{
    public static Unlisted Instance { get; } = new();
}
