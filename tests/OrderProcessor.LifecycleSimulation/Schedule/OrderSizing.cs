namespace OrderProcessor.LifecycleSimulation.Schedule;

/// <summary>How a schedule's order says how much it trades.</summary>
public enum OrderSizing
{
    /// <summary>A whole quantity (10 units).</summary>
    Whole,

    /// <summary>A fractional quantity (e.g. 2.6690 units), filled in fractional parts.</summary>
    Fractional,

    /// <summary>A cash quantity (e.g. $500.00), which IBKR converts into fractional units at the fill price.</summary>
    Cash,
}
