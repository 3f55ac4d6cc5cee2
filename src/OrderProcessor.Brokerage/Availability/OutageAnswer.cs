namespace OrderProcessor.Brokerage.Availability;

/// <summary>An IBKR answer that may mean its brokerage back-end is down (maintenance or an outage).</summary>
public enum OutageAnswer
{
    /// <summary>HTTP 503 from an <c>/iserver</c> call: a suspicion only (IBKR also answers 503 for other reasons), confirmed by a probe.</summary>
    ServiceUnavailable,

    /// <summary><c>connected:false</c> from auth/status, ssodh/init or tickle's <c>iserver.authStatus</c>: no brokerage back-end behind the web layer.</summary>
    Disconnected,
}
