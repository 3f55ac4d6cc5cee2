using System.Net;
using System.Text;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>
/// Primary-handler wrapper that answers order placements (POST …/orders) with a fixed IBKR answer and passes everything
/// else (tokens, sessions, accounts) to the simulator: for answer shapes the simulator does not produce.
/// </summary>
internal sealed class CannedOrdersHandler(string answerJson, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/orders", StringComparison.Ordinal))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(answerJson, Encoding.UTF8, "application/json"),
                RequestMessage = request,
            });
        }

        return base.SendAsync(request, cancellationToken);
    }
}
