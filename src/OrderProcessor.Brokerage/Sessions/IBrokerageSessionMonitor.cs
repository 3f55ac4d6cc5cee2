namespace OrderProcessor.Brokerage.Sessions;

/// <summary>Read-only view of the brokerage sessions the guard keeps, for health checks.</summary>
public interface IBrokerageSessionMonitor
{
    IReadOnlyList<UserSessionSnapshot> GetSessions();

    UserSessionSnapshot? GetSession(string userId);

    /// <summary>Why PiTrade refuses our partner credentials (submissions stopped for everyone) and since when; null when it does not.</summary>
    (string Reason, DateTimeOffset Since)? PartnerStop => null;
}
