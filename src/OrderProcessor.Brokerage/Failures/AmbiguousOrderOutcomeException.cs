namespace OrderProcessor.Brokerage.Failures;

/// <summary>
/// An order request (place, reply, modify, cancel) may have reached IBKR but its answer was lost.
/// The guard never re-sends it: look for <c>order_ref == cOID</c> in the live orders before anything else.
/// </summary>
public sealed class AmbiguousOrderOutcomeException : BrokerageException
{
    public AmbiguousOrderOutcomeException()
        : this("The outcome of the order request is unknown.", null, null, [], null)
    {
    }

    public AmbiguousOrderOutcomeException(string message)
        : this(message, null, null, [], null)
    {
    }

    public AmbiguousOrderOutcomeException(string message, Exception innerException)
        : this(message, null, null, [], innerException)
    {
    }

    public AmbiguousOrderOutcomeException(
        string message,
        string? userId,
        string? endpoint,
        IReadOnlyList<string> clientOrderIds,
        Exception? innerException)
        : base(BrokerageFailureKind.Ambiguous, message, userId, endpoint, null, innerException)
    {
        ClientOrderIds = clientOrderIds;
    }

    /// <summary>The cOIDs of the tickets whose fate is unknown.</summary>
    public IReadOnlyList<string> ClientOrderIds { get; }
}
