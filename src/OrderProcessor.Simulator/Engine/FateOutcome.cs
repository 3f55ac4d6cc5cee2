namespace OrderProcessor.Simulator.Engine;

/// <summary>What became of a fate the control API asked for.</summary>
public enum FateOutcome
{
    /// <summary>Done now.</summary>
    Done,

    /// <summary>Waits for the user's session to end, and happens then, while no session exists.</summary>
    Deferred,

    /// <summary>No order has that id or cOID.</summary>
    NotFound,

    /// <summary>The order is already final: nothing can happen to it any more.</summary>
    AlreadyEnded,

    /// <summary>A fill of part of an all-or-none order was asked: it fills all at once or not at all.</summary>
    AllOrNoneNotSplit,

    /// <summary>A fractional fill of an instrument that trades in whole units (a future, an option, a whole-shares stock) was asked.</summary>
    WholeUnitsOnly,
}
