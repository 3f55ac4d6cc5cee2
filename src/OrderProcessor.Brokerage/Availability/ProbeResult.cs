namespace OrderProcessor.Brokerage.Availability;

/// <summary>What one availability probe (<c>POST /iserver/auth/status</c>) found.</summary>
public enum ProbeResult
{
    /// <summary><c>connected:true</c>: IBKR's back-end is there again.</summary>
    Connected,

    /// <summary><c>connected:false</c>: still down.</summary>
    Disconnected,

    /// <summary>No usable answer (5xx, 429, a timeout): nothing learnt, probe again later.</summary>
    Inconclusive,

    /// <summary>This process may not use the user's session (the lease moved): it stops probing for that user.</summary>
    NotMine,
}
