namespace OrderProcessor.Brokerage.Sessions;

/// <summary>Read-only view of the brokerage sessions the guard keeps, for health checks.</summary>
public interface IBrokerageSessionMonitor
{
    IReadOnlyList<UserSessionSnapshot> GetSessions();

    UserSessionSnapshot? GetSession(string userId);
}
