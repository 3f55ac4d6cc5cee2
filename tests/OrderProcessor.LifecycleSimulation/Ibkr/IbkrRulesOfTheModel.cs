namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>
/// The knobs of the IBKR model, each as hard as IBKR or harder. Defaults are what the documented behaviour allows;
/// the processor's own assumptions (how long a just-placed order may be missing from the list) are in the settings
/// it is run with.
/// </summary>
public sealed record IbkrRulesOfTheModel
{
    /// <summary>IBKR refuses a repeated cOID only within this window; after it, the same cOID is a new order.</summary>
    public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>A just-placed order is missing from the live orders for up to this long.</summary>
    public TimeSpan MaxListingLag { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The first live-orders call of a session answers empty.</summary>
    public bool FirstLiveOrdersCallEmpty { get; init; } = true;

    /// <summary>The cOID is checked only after the business checks and questions, so a resend can be refused for another reason first.</summary>
    public bool DuplicateCheckedAfterQuestions { get; init; } = true;
}
