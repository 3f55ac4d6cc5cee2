namespace OrderProcessor.Brokerage.Ibkr;

/// <summary>Limits of IBKR's Web API that callers of the guard plan around.</summary>
public static class IbkrLimits
{
    /// <summary>The most days of executions one <c>GET /iserver/account/trades?days=</c> answer covers (today included).</summary>
    public const int MaxTradeDays = 7;

    /// <summary>How long IBKR refuses a client order id (cOID) it has already registered.</summary>
    public static readonly TimeSpan DuplicateClientOrderIdWindow = TimeSpan.FromHours(24);
}
