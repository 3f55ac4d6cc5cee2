using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;

namespace OrderProcessor.Brokerage.Http;

/// <summary>
/// The timeout of one HTTP attempt. It sits inside the pacing wait on purpose: waiting for a pacing slot is not
/// a slow upstream and must neither time out the attempt nor count against the circuit breaker.
/// </summary>
internal sealed class AttemptTimeoutHandler : DelegatingHandler
{
    private readonly IOptionsMonitor<BrokerageOptions> _options;

    public AttemptTimeoutHandler(IOptionsMonitor<BrokerageOptions> options)
    {
        _options = options;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var timeout = _options.CurrentValue.Timeouts.Attempt;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            var response = await base.SendAsync(request, attempt.Token);
            if (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Some handlers answer a cancelled request with a made-up status (e.g. 499) instead of throwing.
                response.Dispose();
                throw new TimeoutException($"No answer within {timeout.TotalSeconds:0.###} s.");
            }

            return response;
        }
        catch (OperationCanceledException ex) when (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer within {timeout.TotalSeconds:0.###} s.", ex);
        }
    }
}
