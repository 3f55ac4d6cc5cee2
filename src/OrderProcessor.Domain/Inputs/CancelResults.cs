namespace OrderProcessor.Orders;

/// <summary>IBKR took the cancel request ("Request was submitted"): the status poll shows when it is done.</summary>
public sealed record CancelSent(Guid Claim) : WorkResult(Claim);

/// <summary>IBKR refused the cancel (the order no longer works, or cannot be cancelled): its text.</summary>
public sealed record CancelRefused(Guid Claim, string Reason) : WorkResult(Claim);

/// <summary>The cancel provably did not reach IBKR (or the order's IBKR id is not known yet): try again later.</summary>
public sealed record CancelNotSent(Guid Claim, CallFailure Failure) : WorkResult(Claim);

/// <summary>The cancel may have reached IBKR: check later and send again if the order still works.</summary>
public sealed record CancelAmbiguous(Guid Claim, string Reason) : WorkResult(Claim);
