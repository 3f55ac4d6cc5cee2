using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>IBKR's answer to one ticket it took: its order id and status.</summary>
public sealed record BrokerTicket(string BrokerOrderId, BrokerOrderState? State);

/// <summary>One ticket of a group request IBKR refused while taking others.</summary>
public sealed record TicketRefusal(RejectionReasonCode Code, string Reason, IReadOnlyList<string> QuestionIds);

/// <summary>IBKR took the request: per cOID, the tickets it accepted and (for a group accepted in part) those it refused.</summary>
public sealed record SubmissionAccepted(Guid Claim, IReadOnlyDictionary<string, BrokerTicket> Accepted, IReadOnlyDictionary<string, TicketRefusal> Refused)
    : WorkResult(Claim);

/// <summary>IBKR refused the cOID as already registered: an earlier send reached it. The order is at IBKR.</summary>
public sealed record SubmissionAlreadyRegistered(Guid Claim, string Reason) : WorkResult(Claim);

/// <summary>IBKR refused the request (final), or asked a question the policy does not allow.</summary>
public sealed record SubmissionRejected(Guid Claim, RejectionReasonCode Code, string Reason, IReadOnlyList<string> QuestionIds) : WorkResult(Claim);

/// <summary>The request provably did not reach IBKR (or IBKR provably did not act on it).</summary>
public sealed record SubmissionNotSent(Guid Claim, CallFailure Failure) : WorkResult(Claim);

/// <summary>The request may have reached IBKR (timeout, 5xx or connection lost after sending).</summary>
public sealed record SubmissionAmbiguous(Guid Claim, string Reason) : WorkResult(Claim);
