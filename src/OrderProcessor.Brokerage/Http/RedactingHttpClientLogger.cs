using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace OrderProcessor.Brokerage.Http;

/// <summary>
/// HTTP logging of the guard's clients: method, path (no query), status and duration, never a header.
/// Replaces IHttpClientFactory's default loggers, whose "Request Headers" records redact the message text but
/// still carry the raw Authorization value in their structured state (visible to any structured sink).
/// </summary>
internal sealed partial class RedactingHttpClientLogger : IHttpClientLogger
{
    private readonly ILogger<RedactingHttpClientLogger> _logger;

    public RedactingHttpClientLogger(ILogger<RedactingHttpClientLogger> logger)
    {
        _logger = logger;
    }

    public object? LogRequestStart(HttpRequestMessage request)
    {
        LogStart(_logger, request.Method.Method, PathOf(request));
        return null;
    }

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        LogStop(_logger, request.Method.Method, PathOf(request), (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        LogFailed(_logger, request.Method.Method, PathOf(request), exception.GetType().Name, elapsed.TotalMilliseconds);

    private static string PathOf(HttpRequestMessage request) => request.RequestUri?.AbsolutePath ?? string.Empty;

    [LoggerMessage(Level = LogLevel.Trace, Message = "HTTP {Method} {Path} sending")]
    private static partial void LogStart(ILogger logger, string method, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {Method} {Path} answered {Status} in {ElapsedMs:0.0} ms")]
    private static partial void LogStop(ILogger logger, string method, string path, int status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {Method} {Path} failed ({Failure}) after {ElapsedMs:0.0} ms")]
    private static partial void LogFailed(ILogger logger, string method, string path, string failure, double elapsedMs);
}
