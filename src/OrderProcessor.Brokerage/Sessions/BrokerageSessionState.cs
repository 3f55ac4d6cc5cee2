namespace OrderProcessor.Brokerage.Sessions;

public enum BrokerageSessionState
{
    /// <summary>No session opened yet for this user.</summary>
    NotStarted,

    /// <summary>ssodh/init → suppress → accounts under way.</summary>
    Initialising,

    /// <summary>Initialised, questions suppressed, accounts warmed up.</summary>
    Ready,

    /// <summary>IBKR reported the session gone (401 / authenticated:false); the next call re-initialises.</summary>
    Lost,

    /// <summary>Another platform holds the username's session and we are not configured to compete.</summary>
    Competing,

    /// <summary>The last initialisation failed; the next call tries again.</summary>
    Failed,

    /// <summary>IBKR is unavailable for the user (maintenance or outage): no tickle, no init; one probe per interval.</summary>
    Paused,
}
