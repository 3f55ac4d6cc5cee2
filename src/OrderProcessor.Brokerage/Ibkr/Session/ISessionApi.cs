using Refit;

namespace OrderProcessor.Brokerage.Ibkr.Session;

/// <summary>IBKR "Trading Session": brokerage session init, status, keep-alive and logout.</summary>
public interface ISessionApi
{
    [Post("/iserver/auth/ssodh/init")]
    Task<IApiResponse<BrokerageSessionStatus>> InitialiseAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        [Body] BrokerageSessionInitRequest request,
        CancellationToken cancellationToken);

    [Post("/iserver/auth/status")]
    Task<IApiResponse<BrokerageSessionStatus>> GetStatusAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        CancellationToken cancellationToken);

    [Post("/tickle")]
    Task<IApiResponse<TickleResponse>> TickleAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        CancellationToken cancellationToken);

    [Post("/logout")]
    Task<IApiResponse<LogoutResponse>> LogoutAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        CancellationToken cancellationToken);
}
