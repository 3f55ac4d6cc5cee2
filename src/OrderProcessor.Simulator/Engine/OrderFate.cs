namespace OrderProcessor.Simulator.Engine;

/// <summary>What the control API makes happen to an order at the exchange, as a test demands it.</summary>
public enum OrderFate
{
    /// <summary>The destination refuses the order after IBKR accepted it: status Inactive.</summary>
    Inactive,

    /// <summary>The exchange cancels the order without a cancel request: status Cancelled.</summary>
    CancelledByExchange,

    /// <summary>The order fills, all of it or a part.</summary>
    Fill,
}
