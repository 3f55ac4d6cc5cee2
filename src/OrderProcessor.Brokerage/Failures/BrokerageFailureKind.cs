namespace OrderProcessor.Brokerage.Failures;

/// <summary>What a failed brokerage call means for the caller.</summary>
public enum BrokerageFailureKind
{
    /// <summary>Nothing reached IBKR, or the call has no effect at IBKR (reads, keep-alives): repeating later is safe.</summary>
    TransientBeforeSend,

    /// <summary>A state-changing request may have reached IBKR and its answer was lost: reconcile, never re-send blindly.</summary>
    Ambiguous,

    /// <summary>IBKR refused the request; final. The text is IBKR's.</summary>
    Rejected,

    /// <summary>The brokerage session was lost and could not be re-established for this call.</summary>
    SessionLost,

    /// <summary>Another platform holds the user's brokerage session (the user logged in elsewhere).</summary>
    CompetingSession,

    /// <summary>IBKR paced the call out (429) even though the guard paced it.</summary>
    Paced,

    /// <summary>Our own settings or credentials are wrong: fatal until fixed.</summary>
    Configuration,

    /// <summary>This process does not (provably) hold the user's session lease any more; nothing was sent.</summary>
    SessionNotHeld,

    /// <summary>
    /// The user's set-up failed for a reason that is not the order's: a bearer token could not be had (PiTrade 408, 5xx,
    /// 429, unreachable) or the brokerage session could not be opened (init, question suppression, accounts warm-up).
    /// Nothing was sent; the work waits and is retried later without spending an attempt.
    /// </summary>
    NotReady,

    /// <summary>PiTrade refused a bearer token for this user (403): the user is not entitled; permanent for the user only.</summary>
    UserNotEntitled,

    /// <summary>
    /// PiTrade refused our partner credentials (401, invalid_client) or the partner JWT's clock: submissions stop for
    /// every user until it is fixed. Nothing was sent; the work waits.
    /// </summary>
    PartnerStopped,

    /// <summary>
    /// IBKR is unavailable for the user (a maintenance window or a detected outage): nothing was sent. The work is held
    /// until IBKR is back, without spending an attempt.
    /// </summary>
    Unavailable,
}
