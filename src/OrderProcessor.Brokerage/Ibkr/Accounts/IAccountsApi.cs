using Refit;

namespace OrderProcessor.Brokerage.Ibkr.Accounts;

/// <summary>IBKR "Trading Accounts". GET /iserver/accounts is also the warm-up every new brokerage session needs.</summary>
public interface IAccountsApi
{
    [Get("/iserver/accounts")]
    Task<IApiResponse<UserAccountsResponse>> GetAccountsAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        CancellationToken cancellationToken);
}
