namespace OrderProcessor.Orders;

/// <summary>
/// Something that happens to an order: a command, a worker claiming its work, the result of that work, or news from
/// IBKR. <see cref="OrderLifecycle"/> classifies each into a <see cref="LifecycleInput"/> and looks up what it does in
/// the order's current status.
/// </summary>
public abstract record OrderInput;

/// <summary>The result of IBKR work, naming the claim that started it.</summary>
/// <param name="Claim">The <see cref="OrderSaga.ClaimToken"/> the work was claimed with.</param>
public abstract record WorkResult(Guid Claim) : OrderInput;

/// <summary>Why a call did not (provably) reach IBKR, or a read failed.</summary>
/// <param name="Kind">The guard's classification, kept in the reason of a final failure.</param>
/// <param name="Reason">For people.</param>
/// <param name="Retryable">False for configuration errors, which no retry fixes.</param>
/// <param name="Waits">
/// The failure is not the order's (a bearer token or the brokerage session could not be set up, PiTrade refuses the
/// partner credentials): the work waits and is tried again later without spending one of its attempts, and never
/// gives the order a final status.
/// </param>
public sealed record CallFailure(string Kind, string Reason, bool Retryable, bool Waits = false)
{
    /// <summary>The guard's kind for a user PiTrade does not entitle to trade: that user's orders are rejected.</summary>
    public const string UserNotEntitledKind = "UserNotEntitled";

    public bool UserNotEntitled => Kind == UserNotEntitledKind;
}
