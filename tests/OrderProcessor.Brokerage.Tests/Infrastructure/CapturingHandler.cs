using System.Collections.Concurrent;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>Primary-handler wrapper that records what the guard sends (bodies for schema checks, bearer values as secrets).</summary>
internal sealed class CapturingHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<CapturedRequest> _requests;

    public CapturingHandler(ConcurrentQueue<CapturedRequest> requests, HttpMessageHandler inner)
        : base(inner)
    {
        _requests = requests;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = null;
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
            body = await request.Content.ReadAsStringAsync(cancellationToken);
        }

        var bearer = request.Headers.Authorization?.Parameter;
        _requests.Enqueue(new CapturedRequest(DateTimeOffset.UtcNow, request.Method.Method, request.RequestUri!.AbsolutePath, body, bearer, request.RequestUri.Query));
        return await base.SendAsync(request, cancellationToken);
    }
}
