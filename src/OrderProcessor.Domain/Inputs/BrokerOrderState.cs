namespace OrderProcessor.Orders;

/// <summary>An order's status as IBKR reports it, typed at the edge (IBKR's texts, e.g. <c>PreSubmitted</c>).</summary>
public enum BrokerOrderState
{
    /// <summary>A status text IBKR did not document; read as still working, never as an end.</summary>
    Unknown,
    PendingSubmit,
    PreSubmitted,
    Submitted,
    Filled,
    PendingCancel,
    PreCancelled,
    Cancelled,

    /// <summary>Received but no longer active: refused or cancelled by the system or the destination.</summary>
    Inactive,
    WarnState,
}
