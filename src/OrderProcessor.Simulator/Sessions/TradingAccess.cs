using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Gateway;

namespace OrderProcessor.Simulator.Sessions;

/// <summary>The session rules in front of /iserver calls. Call while holding the user's gate.</summary>
public sealed class TradingAccess(UserStateRegistry registry, BehaviourSettings behaviour)
{
    /// <summary>
    /// The live session the caller's bearer token may use, after dropping an idled-out one: none while another platform
    /// competes, none when another token holds the session (a second processor instance that took it over).
    /// </summary>
    public BrokerageSession? SessionOf(Caller caller, bool joinIfNew = true)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var user = caller.User;
        if (registry.LiveSession(user) is null || user.CompetingElsewhere)
            return null;
        return user.SessionSeenBy(caller.Token.Value, joinIfNew && behaviour.Current.UninitialisedTokensShareSession);
    }

    /// <summary>Whether the caller is kept out by someone else: another platform, or another token holding the live session.</summary>
    public bool IsCompeting(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.User.CompetingElsewhere || (registry.LiveSession(caller.User) is not null && SessionOf(caller) is null);
    }

    /// <summary>
    /// The live session, or the answer IBKR gives without one: 401 when the caller has no session (never opened, dropped,
    /// idled out, taken by a competing platform or another token), 500 "Please query /accounts first" when the accounts
    /// warm-up is missing.
    /// </summary>
    public (BrokerageSession? Session, IResult? Refusal) Check(Caller caller, bool requireAccounts)
    {
        var session = SessionOf(caller);
        if (session is null)
            return (null, IbkrResults.Unauthorized(IsCompeting(caller) ? "competing session" : "not authenticated"));
        if (requireAccounts && !session.AccountsQueried)
            return (null, IbkrResults.ServerError(IbkrResults.AccountsFirst));
        return (session, null);
    }
}
