using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Ibkr;
using Refit;

namespace OrderProcessor.Brokerage.Http;

/// <summary>Sends one typed-client call and reads its signal; transport failures come back classified.</summary>
internal static class IbkrCall
{
    public static async Task<(IApiResponse<T> Response, ResponseSignal Signal)> SendAsync<T>(
        Func<CancellationToken, Task<IApiResponse<T>>> call,
        IbkrEndpoint endpoint,
        string userId,
        IReadOnlyList<string>? clientOrderIds,
        CancellationToken cancellationToken)
    {
        var trace = CallTrace.Begin();
        IApiResponse<T> response;
        try
        {
            response = await call(cancellationToken);
        }
        catch (Exception ex) when (FailureClassifier.FromException(ex, endpoint, userId, trace, clientOrderIds, cancellationToken) is { } classified)
        {
            throw classified;
        }

        if (!response.IsReceived)
        {
            // Refit captures transport failures in the response instead of throwing them. Its exception keeps the
            // request (Authorization header included), so only the transport exception inside it travels on.
            var failure = response.Error?.InnerException ?? new HttpRequestException("No response was received.");
            response.Dispose();
            var classified = FailureClassifier.FromException(failure, endpoint, userId, trace, clientOrderIds, cancellationToken);
            if (classified is not null)
            {
                throw classified;
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return (response, FailureClassifier.Inspect(response, endpoint));
    }
}
