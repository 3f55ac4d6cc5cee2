using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;

namespace OrderProcessor.Simulator.Sessions;

/// <summary>The per-user states, created on first use.</summary>
public sealed class UserStateRegistry(IOptions<SimulatorOptions> options, SimulatorClock time)
{
    private readonly ConcurrentDictionary<string, UserState> _users = new(StringComparer.Ordinal);

    public UserState Get(string userId) => _users.GetOrAdd(userId, id =>
    {
        var o = options.Value;
        return new UserState(id, o.PerUserRequestsPerSecond, o.LiveOrdersMinInterval, o.TickleMinInterval, time.GetUtcNow());
    });

    public void Clear() => _users.Clear();

    /// <summary>Every user seen so far (a user never seen has no session to lose).</summary>
    public IReadOnlyList<UserState> All() => [.. _users.Values];

    /// <summary>The user's live session, after dropping it if it idled out. Call while holding the user's gate.</summary>
    public BrokerageSession? LiveSession(UserState user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Session is { } session && time.GetUtcNow() - session.LastActivity > options.Value.SessionIdleTimeout)
        {
            user.EndSession(session.LastActivity + options.Value.SessionIdleTimeout);
        }

        return user.Session;
    }
}
