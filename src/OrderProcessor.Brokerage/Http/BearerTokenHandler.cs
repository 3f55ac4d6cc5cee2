using System.Net;
using System.Net.Http.Headers;
using OrderProcessor.Brokerage.PiTrade;

namespace OrderProcessor.Brokerage.Http;

/// <summary>
/// Makes sure the user has a PiTrade bearer token before the request waits for its pacing slot (a PiTrade call is slow
/// and must not sit between a slot and its send); <see cref="FreshTokenHandler"/> puts the token on the request right
/// before the send. A 401 retires the token that was sent (once for a burst).
/// </summary>
internal sealed class BearerTokenHandler : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<BearerToken> SentToken = new("OrderProcessor.Brokerage.BearerToken");
    private readonly BearerTokenCache _tokens;

    public BearerTokenHandler(BearerTokenCache tokens)
    {
        _tokens = tokens;
    }

    /// <summary>Puts <paramref name="token"/> on <paramref name="request"/> and remembers it for the 401 handling.</summary>
    public static void Apply(HttpRequestMessage request, BearerToken token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        request.Options.Set(SentToken, token);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var userId = RequestUser.Of(request);
        Apply(request, await _tokens.GetAsync(userId, cancellationToken));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized && request.Options.TryGetValue(SentToken, out var sent))
        {
            _tokens.Invalidate(userId, sent);
        }

        return response;
    }
}
