using OrderProcessor.Brokerage.PiTrade;

namespace OrderProcessor.Brokerage.Http;

/// <summary>
/// After the pacing and gate waits, right before the send: the request carries the user's current token, which must
/// still be valid for the attempt. The token chosen before the waits may have been refreshed meanwhile, or may have
/// run out during a long wait (then, rarely, a new one is fetched here), so no request leaves with an expired token
/// and forces a needless re-init.
/// </summary>
internal sealed class FreshTokenHandler(BearerTokenCache tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        BearerTokenHandler.Apply(request, await tokens.GetForSendAsync(RequestUser.Of(request), cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
