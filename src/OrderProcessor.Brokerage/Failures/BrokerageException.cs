namespace OrderProcessor.Brokerage.Failures;

/// <summary>Base of every failure the guard reports. Messages never contain keys or tokens.</summary>
public class BrokerageException : Exception
{
    public BrokerageException()
        : this(BrokerageFailureKind.TransientBeforeSend, "Brokerage call failed.")
    {
    }

    public BrokerageException(string message)
        : this(BrokerageFailureKind.TransientBeforeSend, message)
    {
    }

    public BrokerageException(string message, Exception innerException)
        : this(BrokerageFailureKind.TransientBeforeSend, message, innerException: innerException)
    {
    }

    public BrokerageException(
        BrokerageFailureKind kind,
        string message,
        string? userId = null,
        string? endpoint = null,
        string? brokerText = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        UserId = userId;
        Endpoint = endpoint;
        BrokerText = brokerText;
    }

    public BrokerageFailureKind Kind { get; }

    public string? UserId { get; }

    /// <summary>The guard's name of the IBKR endpoint (see IbkrEndpointCatalog), e.g. "place-order".</summary>
    public string? Endpoint { get; }

    /// <summary>IBKR's (or PiTrade's) own error text, when there was one.</summary>
    public string? BrokerText { get; }

    /// <summary>True when repeating the same call later cannot duplicate anything at IBKR.</summary>
    public bool IsSafeToRepeat => Kind is BrokerageFailureKind.TransientBeforeSend or BrokerageFailureKind.Paced
        or BrokerageFailureKind.SessionLost or BrokerageFailureKind.CompetingSession or BrokerageFailureKind.SessionNotHeld
        or BrokerageFailureKind.NotReady or BrokerageFailureKind.PartnerStopped or BrokerageFailureKind.Unavailable;

    /// <summary>
    /// True when the failure is not the order's at all (set-up, token, partner credentials): the work waits and is retried
    /// later without spending one of its attempts.
    /// </summary>
    public bool IsNotTheOrders => Kind is BrokerageFailureKind.NotReady or BrokerageFailureKind.PartnerStopped or BrokerageFailureKind.Unavailable;
}
