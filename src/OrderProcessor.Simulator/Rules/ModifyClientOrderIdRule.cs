namespace OrderProcessor.Simulator.Rules;

/// <summary>What a modify ticket's cOID must be, compared with the cOID the order was placed with.</summary>
public enum ModifyClientOrderIdRule
{
    /// <summary>
    /// The modify repeats the original ticket (IBKR: "the body should mirror the content of the original order"), so the
    /// cOID must be the original one: a different one, or none when the order had one, is refused.
    /// </summary>
    MustRepeat,

    /// <summary>A modify without cOID is accepted; one with a cOID other than the original is refused.</summary>
    MustMatchWhenGiven,

    /// <summary>The cOID of a modify is not looked at.</summary>
    Ignored,
}
