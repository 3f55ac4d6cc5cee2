using System.Net;
using System.Text.Json;
using OrderProcessor.Brokerage.Http;
using OrderProcessor.Brokerage.Ibkr;
using Polly.CircuitBreaker;
using Refit;

namespace OrderProcessor.Brokerage.Failures;

/// <summary>Turns IBKR answers and transport failures into the guard's failure kinds. The one place of these rules.</summary>
internal static class FailureClassifier
{
    public static ResponseSignal Inspect(IApiResponse response)
    {
        var status = response.StatusCode ?? 0;
        var text = ErrorTextOf(response);
        if (status == HttpStatusCode.Unauthorized)
        {
            return ResponseSignal.SessionLost;
        }

        if (ErrorAnswers.MeansAccountsNotQueried(text))
        {
            return ResponseSignal.AccountsNotQueried;
        }

        if ((int)status is >= 400 and < 500 && ErrorAnswers.MeansSessionLost(text))
        {
            return ResponseSignal.SessionLost;
        }

        if (status == HttpStatusCode.TooManyRequests)
        {
            return ResponseSignal.Paced;
        }

        // 408 and 499 ("client closed request") say nothing about whether the request was processed.
        if ((int)status >= 500 || status == HttpStatusCode.RequestTimeout || (int)status == 499)
        {
            return ResponseSignal.ServerError;
        }

        if ((int)status >= 400)
        {
            return ResponseSignal.ClientError;
        }

        // A 2xx we could not read may still have done its work.
        return response.Error is null ? ResponseSignal.Ok : ResponseSignal.ServerError;
    }

    /// <summary>IBKR's error text from <c>{"error"}</c>, a ProblemDetail's <c>detail</c>, or null.</summary>
    public static string? ErrorTextOf(IApiResponse response)
    {
        var content = (response.Error as ApiException)?.Content;
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in (string[])["error", "detail", "message", "title"])
                {
                    if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        return value.GetString();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: keep the first line of the text.
        }

        var firstLine = content.Split('\n', 2)[0].Trim();
        return firstLine.Length > 300 ? firstLine[..300] : firstLine;
    }

    /// <summary>
    /// <see cref="Inspect(IApiResponse)"/>, and for a 2xx also its <c>{"error"}</c> body: "no bridge" and
    /// "Please query /accounts first" mean the same as with any other status, and an error where only data was expected
    /// makes the answer unusable.
    /// </summary>
    public static ResponseSignal Inspect<T>(IApiResponse<T> response, IbkrEndpoint endpoint)
    {
        var signal = Inspect(response);
        return signal == ResponseSignal.Ok && response.IsSuccessful
            ? ErrorAnswers.SignalOf2xx(endpoint, ErrorAnswers.ErrorOf(response.Content))
            : signal;
    }

    /// <summary><see cref="FromSignal(ResponseSignal, IApiResponse, IbkrEndpoint, string, IReadOnlyList{string}?, string?)"/> with the error of a 2xx body.</summary>
    public static BrokerageException FromSignal<T>(
        ResponseSignal signal,
        IApiResponse<T> response,
        IbkrEndpoint endpoint,
        string userId,
        IReadOnlyList<string>? clientOrderIds) =>
        FromSignal(signal, (IApiResponse)response, endpoint, userId, clientOrderIds,
            response.IsSuccessful ? ErrorAnswers.ErrorOf(response.Content) : null);

    public static BrokerageException FromSignal(
        ResponseSignal signal,
        IApiResponse response,
        IbkrEndpoint endpoint,
        string userId,
        IReadOnlyList<string>? clientOrderIds,
        string? answerText = null)
    {
        var text = ErrorTextOf(response) ?? answerText;
        var status = (int)(response.StatusCode ?? 0);
        return signal switch
        {
            ResponseSignal.ErrorAnswer => new BrokerageException(
                BrokerageFailureKind.TransientBeforeSend,
                $"IBKR answered {endpoint.Name} with HTTP {status} and an error instead of data: {text}; nothing can be concluded from it.",
                userId, endpoint.Name, text),
            ResponseSignal.SessionLost or ResponseSignal.AccountsNotQueried => new BrokerageException(
                BrokerageFailureKind.SessionLost,
                $"IBKR has no usable brokerage session for {endpoint.Name} (HTTP {status}).",
                userId, endpoint.Name, text),
            ResponseSignal.Paced => new BrokerageException(
                BrokerageFailureKind.Paced, $"IBKR paced out {endpoint.Name} (HTTP 429).", userId, endpoint.Name, text),
            ResponseSignal.ClientError when IsStaleReply(endpoint, text) => new BrokerageException(
                BrokerageFailureKind.TransientBeforeSend,
                "IBKR dropped the order because its question went stale before the reply; nothing was placed, placing again is safe.",
                userId, endpoint.Name, text),
            ResponseSignal.ClientError => new BrokerageException(
                BrokerageFailureKind.Rejected, $"IBKR refused {endpoint.Name} (HTTP {status}): {text}", userId, endpoint.Name, text),
            _ when endpoint.Repeatable => new BrokerageException(
                BrokerageFailureKind.TransientBeforeSend, $"IBKR failed {endpoint.Name} (HTTP {status}); repeating it is safe.",
                userId, endpoint.Name, text),
            _ => new AmbiguousOrderOutcomeException(
                $"IBKR answered {endpoint.Name} with HTTP {status}: the request may have been processed. Reconcile by cOID; do not re-send.",
                userId, endpoint.Name, clientOrderIds ?? [], null),
        };
    }

    /// <summary>
    /// Classifies a transport failure. Returns null when the original exception should propagate unchanged
    /// (the caller cancelled and nothing can have happened at IBKR).
    /// </summary>
    public static Exception? FromException(
        Exception exception,
        IbkrEndpoint endpoint,
        string userId,
        CallTrace trace,
        IReadOnlyList<string>? clientOrderIds,
        CancellationToken cancellationToken)
    {
        if (exception is BrokerageException)
        {
            return null;
        }

        var leftTheProcess = trace.Sent && !FailedBeforeSending(exception);
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested
            && (!leftTheProcess || endpoint.Repeatable))
        {
            return null;
        }

        if (!leftTheProcess || exception is BrokenCircuitException)
        {
            return new BrokerageException(BrokerageFailureKind.TransientBeforeSend,
                $"{endpoint.Name} did not reach IBKR ({exception.GetType().Name}).", userId, endpoint.Name, innerException: exception);
        }

        if (endpoint.Repeatable)
        {
            return new BrokerageException(BrokerageFailureKind.TransientBeforeSend,
                $"{endpoint.Name} failed in transit ({exception.GetType().Name}); repeating it is safe.", userId, endpoint.Name, innerException: exception);
        }

        return new AmbiguousOrderOutcomeException(
            $"{endpoint.Name} may have reached IBKR but no answer came back ({exception.GetType().Name}). Reconcile by cOID; do not re-send.",
            userId, endpoint.Name, clientOrderIds ?? [], exception);
    }

    /// <summary>"reply id not found": another request came between the question and our reply, and IBKR dropped the order.</summary>
    private static bool IsStaleReply(IbkrEndpoint endpoint, string? text) =>
        endpoint == IbkrEndpointCatalog.Reply && text is not null && text.Contains("reply id not found", StringComparison.OrdinalIgnoreCase);

    /// <summary>Connection could not be opened: the request bytes never left.</summary>
    public static bool FailedBeforeSending(Exception exception) =>
        exception is BrokenCircuitException
        || (exception is HttpRequestException
        {
            HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError
        });
}
