using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Sessions;
using Refit;

namespace OrderProcessor.Brokerage.Http;

/// <summary>
/// Runs one trading call for a user: session ready first; after 401 / "no bridge" the session is re-initialised
/// (once for a burst) and the call re-sent once; after "Please query /accounts first" the warm-up is redone and the
/// call re-sent once. Both answers mean IBKR did not process the request, so the re-send cannot duplicate anything.
/// Every other failure comes back classified. While IBKR is unavailable for the user (a maintenance window, a detected
/// outage) nothing is sent: <see cref="IbkrUnavailableException"/> before the session, the retries and the circuit.
/// </summary>
internal sealed class IbkrCallExecutor
{
    private readonly BrokerageSessionManager _sessions;
    private readonly BrokerageMetrics _metrics;

    public IbkrCallExecutor(BrokerageSessionManager sessions, BrokerageMetrics metrics)
    {
        _sessions = sessions;
        _metrics = metrics;
    }

    public async Task<T?> SendAsync<T>(
        string userId,
        IbkrEndpoint endpoint,
        Func<CancellationToken, Task<IApiResponse<T>>> call,
        CancellationToken cancellationToken,
        IReadOnlyList<string>? clientOrderIds = null,
        bool resendAfterRecovery = true)
    {
        // A call counts as activity whatever its outcome, at its start and at its end: a user whose calls are under way or
        // keep failing (circuit open, paced, set-up failing) is not idle, and is not pruned with its back-offs and circuits.
        _sessions.RecordActivity(userId);
        try
        {
            return await SendWithRecoveryAsync(userId, endpoint, call, cancellationToken, clientOrderIds, resendAfterRecovery);
        }
        catch (BrokerageException ex)
        {
            _metrics.Failed(ex.Kind, endpoint.Name);
            throw;
        }
        finally
        {
            _sessions.RecordActivity(userId);
        }
    }

    private async Task<T?> SendWithRecoveryAsync<T>(
        string userId,
        IbkrEndpoint endpoint,
        Func<CancellationToken, Task<IApiResponse<T>>> call,
        CancellationToken cancellationToken,
        IReadOnlyList<string>? clientOrderIds,
        bool resendAfterRecovery)
    {
        _sessions.ThrowIfUnavailable(userId, endpoint.Name);
        await _sessions.EnsureReadyAsync(userId, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var epoch = _sessions.EpochOf(userId);
            var (response, signal) = await IbkrCall.SendAsync(call, endpoint, userId, clientOrderIds, cancellationToken);
            using (response)
            {
                // An order's status from an earlier session answers 503 by IBKR's own rule: that says nothing of an outage.
                if (endpoint != IbkrEndpointCatalog.OrderStatus)
                {
                    _sessions.ReportOutcome(userId, response, signal);
                }

                if (signal == ResponseSignal.Ok)
                {
                    _sessions.RecordActivity(userId);
                    return response.Content;
                }

                if (attempt == 0 && resendAfterRecovery)
                {
                    if (signal == ResponseSignal.SessionLost)
                    {
                        await _sessions.RecoverAsync(userId, epoch, cancellationToken);
                        continue;
                    }

                    if (signal == ResponseSignal.AccountsNotQueried)
                    {
                        await _sessions.WarmAccountsAsync(userId, epoch, cancellationToken);
                        continue;
                    }
                }

                throw FailureClassifier.FromSignal(signal, response, endpoint, userId, clientOrderIds);
            }
        }
    }
}
