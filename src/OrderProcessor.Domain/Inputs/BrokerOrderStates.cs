namespace OrderProcessor.Orders;

/// <summary>Reads IBKR's status texts into <see cref="BrokerOrderState"/>.</summary>
public static class BrokerOrderStates
{
    public static BrokerOrderState Parse(string? text) =>
        Enum.TryParse<BrokerOrderState>(text, ignoreCase: true, out var state) && Enum.IsDefined(state) ? state : BrokerOrderState.Unknown;

    /// <summary>States in which IBKR no longer works the order.</summary>
    public static bool IsEnded(BrokerOrderState state) => state is BrokerOrderState.Filled or BrokerOrderState.Cancelled or BrokerOrderState.Inactive;
}
