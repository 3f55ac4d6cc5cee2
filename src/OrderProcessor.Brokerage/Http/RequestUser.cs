using OrderProcessor.Brokerage.Ibkr;

namespace OrderProcessor.Brokerage.Http;

internal static class RequestUser
{
    public static string Of(HttpRequestMessage request)
    {
        if (request.Options is IDictionary<string, object?> options
            && options.TryGetValue(IbkrRequestProperties.UserId, out var value)
            && value is string { Length: > 0 } userId)
        {
            return userId;
        }

        throw new InvalidOperationException($"IBKR request without the {IbkrRequestProperties.UserId} option; every typed-client method takes the user id.");
    }
}
