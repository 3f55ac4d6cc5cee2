using System.Net;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Http;
using OrderProcessor.Brokerage.Ibkr;
using Polly.CircuitBreaker;

namespace OrderProcessor.Brokerage.Resilience;

/// <summary>
/// The circuit breaker of IBKR calls, one per user and endpoint group (<see cref="UserFailureDomains"/>): an open circuit
/// fails the call fast, before the token, the gate and the pacing wait, with Polly's <see cref="BrokenCircuitException"/>
/// (classified as not sent). Transport failures, timeouts and busy answers (408, 502, 503, 504) count as failures; 429 is
/// our own speed and pacing's business; token and pacing refusals say nothing about IBKR and do not count at all.
/// </summary>
internal sealed class UserCircuitBreakerHandler : DelegatingHandler
{
    private readonly UserFailureDomains _domains;

    public UserCircuitBreakerHandler(UserFailureDomains domains)
    {
        _domains = domains;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var userId = RequestUser.Of(request);
        var group = UserFailureDomains.GroupOf(IbkrEndpointCatalog.Identify(request));
        var circuit = _domains.CircuitOf(userId, group);
        if (circuit.TryEnter(out var isTrial) is { } openFor)
        {
            throw new BrokenCircuitException($"The {group} circuit of this user is open for {openFor.TotalSeconds:0.#} s more; nothing was sent.");
        }

        var settings = _domains.Settings();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (BrokerageException)
        {
            circuit.Abandon(isTrial);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            circuit.Abandon(isTrial);
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or OperationCanceledException)
        {
            _domains.Report(userId, group, circuit.Record(failed: true, isTrial, settings));
            throw;
        }
        catch
        {
            circuit.Abandon(isTrial);
            throw;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            circuit.Abandon(isTrial);
            return response;
        }

        var failed = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
        _domains.Report(userId, group, circuit.Record(failed, isTrial, settings));
        return response;
    }
}
