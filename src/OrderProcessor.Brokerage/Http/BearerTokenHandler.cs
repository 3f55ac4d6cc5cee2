using System.Net;
using System.Net.Http.Headers;
using OrderProcessor.Brokerage.PiTrade;

namespace OrderProcessor.Brokerage.Http;

/// <summary>
/// Puts the user's PiTrade bearer token on each IBKR request, inside the pacing and gate waits (right before the send, so
/// that a token cannot expire while the request waits); a 401 retires that token (once for a burst).
/// </summary>
internal sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly BearerTokenCache _tokens;

    public BearerTokenHandler(BearerTokenCache tokens)
    {
        _tokens = tokens;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var userId = RequestUser.Of(request);
        var token = await _tokens.GetAsync(userId, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            _tokens.Invalidate(userId, token);
        }

        return response;
    }
}
