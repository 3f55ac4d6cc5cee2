using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Http;

/// <summary>
/// The last check before an IBKR request leaves (after the pacing wait, which can be long): this process must still hold
/// the user's session for as long as the request can take (one attempt), or nothing is sent.
/// </summary>
internal sealed class SessionOwnershipHandler(IUserSessionAuthority authority, IOptionsMonitor<BrokerageOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var userId = RequestUser.Of(request);
        if (!authority.MayUse(userId, options.CurrentValue.Timeouts.Attempt))
        {
            throw new BrokerageException(BrokerageFailureKind.SessionNotHeld,
                $"This instance no longer holds user {userId}'s IBKR session (its lease is not proven for the next attempt); nothing was sent.",
                userId);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
