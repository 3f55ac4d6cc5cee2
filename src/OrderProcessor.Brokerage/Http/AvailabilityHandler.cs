using OrderProcessor.Brokerage.Availability;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Http;

/// <summary>
/// The availability check of a call that changes orders (place, reply, modify, cancel), again right before it leaves:
/// the check at the call's start comes before the gate and pacing waits, and a wait can carry a call into a scheduled
/// window. Not sent then, the call fails with <see cref="Failures.IbkrUnavailableException"/> and is held like any
/// other. Reads are left alone (a read that meets the window only fails), and so are the availability probes, which are
/// sent while IBKR is unavailable by design.
/// </summary>
internal sealed class AvailabilityHandler(IIbkrAvailability availability) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = IbkrEndpointCatalog.Identify(request);
        if (!endpoint.Repeatable)
        {
            var userId = RequestUser.Of(request);
            if (availability.Check(userId) is { Available: false } unavailable)
            {
                throw BrokerageSessionManager.Unavailable(userId, unavailable, endpoint.Name);
            }
        }

        return base.SendAsync(request, cancellationToken);
    }
}
