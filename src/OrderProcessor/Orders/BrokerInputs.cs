namespace OrderProcessor.Orders;

/// <summary>IBKR's view of one order, from the live orders or an order's status.</summary>
/// <param name="ClientOrderId">The cOID (IBKR's <c>order_ref</c>).</param>
/// <param name="BrokerOrderId">IBKR's order id.</param>
/// <param name="Status">IBKR's status text: Inactive, PendingSubmit, PreSubmitted, Submitted, Filled, PendingCancel, PreCancelled, Cancelled, WarnState.</param>
/// <param name="FilledQuantity">Filled so far.</param>
/// <param name="RemainingQuantity">Still open.</param>
/// <param name="AveragePrice">Average fill price, if anything filled.</param>
public sealed record BrokerOrderObservation(
    string ClientOrderId,
    string BrokerOrderId,
    string Status,
    decimal FilledQuantity,
    decimal RemainingQuantity,
    decimal? AveragePrice);

/// <summary>What came of sending an order (or a bracket or OCA group) to IBKR.</summary>
public abstract record SubmissionOutcome;

/// <summary>IBKR accepted: its order id and status per cOID.</summary>
public sealed record SubmissionAccepted(IReadOnlyDictionary<string, (string BrokerOrderId, string? Status)> ByClientOrderId) : SubmissionOutcome;

/// <summary>IBKR refused (final), or asked a question the policy does not allow.</summary>
public sealed record SubmissionRejected(Contracts.RejectionReasonCode Code, string Reason, IReadOnlyList<string> QuestionIds) : SubmissionOutcome;

/// <summary>The request provably did not reach IBKR (or IBKR provably did not act on it).</summary>
/// <param name="FailureKind">The guard's classification, kept in the reason of a final failure.</param>
/// <param name="Reason">For people.</param>
/// <param name="Retryable">False for configuration errors, which no retry fixes.</param>
public sealed record SubmissionNotSent(string FailureKind, string Reason, bool Retryable) : SubmissionOutcome;

/// <summary>The request may have reached IBKR (timeout, 5xx or connection lost after sending, or "cOID already registered").</summary>
public sealed record SubmissionAmbiguous(string Reason) : SubmissionOutcome;
