using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>IBKR accepted the modification that was sent (<paramref name="Sent"/>).</summary>
public sealed record ModifyAccepted(Guid Claim, ModifyOrder Sent) : WorkResult(Claim);

/// <summary>IBKR refused the modification, or asked a question the policy does not allow.</summary>
public sealed record ModifyRejected(Guid Claim, RejectionReasonCode Code, string Reason, IReadOnlyList<string> QuestionIds) : WorkResult(Claim);

/// <summary>The modification provably did not reach IBKR.</summary>
public sealed record ModifyNotSent(Guid Claim, CallFailure Failure) : WorkResult(Claim);

/// <summary>The modification may have reached IBKR; it is not repeated blindly.</summary>
public sealed record ModifyAmbiguous(Guid Claim, string Reason) : WorkResult(Claim);
