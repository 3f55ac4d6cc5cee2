namespace OrderProcessor.Brokerage.Http;

/// <summary>Innermost handler: from here on the request is on its way to the network.</summary>
internal sealed class SendMarkerHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        CallTrace.Current?.MarkSent();
        return base.SendAsync(request, cancellationToken);
    }
}
