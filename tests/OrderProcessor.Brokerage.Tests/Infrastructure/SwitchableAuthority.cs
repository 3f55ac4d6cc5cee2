using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>A lease this process holds until a test takes it away.</summary>
internal sealed class SwitchableAuthority : IUserSessionAuthority
{
    public volatile bool Held = true;

    public bool MayUse(string userId, TimeSpan forAtLeast) => Held;
}
