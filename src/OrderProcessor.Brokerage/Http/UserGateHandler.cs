using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Http;

/// <summary>Holds the user's gate shared for one request, unless this flow already holds it exclusively.</summary>
internal sealed class UserGateHandler : DelegatingHandler
{
    private readonly UserCallGates _gates;

    public UserGateHandler(UserCallGates gates)
    {
        _gates = gates;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var userId = RequestUser.Of(request);
        if (UserCallGates.HoldsExclusive(userId))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        using (await _gates.EnterSharedAsync(userId, cancellationToken))
        {
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
