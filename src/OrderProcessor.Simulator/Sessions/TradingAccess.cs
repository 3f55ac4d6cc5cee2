using OrderProcessor.Simulator.Gateway;

namespace OrderProcessor.Simulator.Sessions;

/// <summary>The session rules in front of /iserver calls. Call while holding the user's gate.</summary>
public sealed class TradingAccess(UserStateRegistry registry)
{
    /// <summary>
    /// The live session, or the answer IBKR gives without one: 401 when there is no session (dropped, idled out,
    /// taken by a competing platform), 500 "Please query /accounts first" when the accounts warm-up is missing.
    /// </summary>
    public (BrokerageSession? Session, IResult? Refusal) Check(UserState user, bool requireAccounts)
    {
        ArgumentNullException.ThrowIfNull(user);
        var session = registry.LiveSession(user);
        if (session is null || user.CompetingElsewhere)
            return (null, IbkrResults.Unauthorized(user.CompetingElsewhere ? "competing session" : "not authenticated"));
        if (requireAccounts && !session.AccountsQueried)
            return (null, IbkrResults.ServerError(IbkrResults.AccountsFirst));
        return (session, null);
    }
}
