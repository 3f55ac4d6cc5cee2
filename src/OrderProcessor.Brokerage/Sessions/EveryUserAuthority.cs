namespace OrderProcessor.Brokerage.Sessions;

/// <summary>The authority of a process that is alone: it may use every user's session (tools, tests, a single instance).</summary>
internal sealed class EveryUserAuthority : IUserSessionAuthority
{
    public bool MayUse(string userId, TimeSpan forAtLeast) => true;
}
