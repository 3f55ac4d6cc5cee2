namespace OrderProcessor.Brokerage.PiTrade;

/// <summary>Obtains one bearer token from PiTrade. Implemented by the single adapter of PiTrade's contract.</summary>
internal interface IPiTradeBearerTokenClient
{
    Task<BearerToken> RequestTokenAsync(string userId, string? ip, CancellationToken cancellationToken);
}
