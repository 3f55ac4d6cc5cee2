using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Hygiene check of one processor under test: records every credential it sends (the partner JWT to PiTrade, the
/// bearer tokens to IBKR) as its HTTP handler sees them, captures everything it logs, and tells whether any of those
/// secrets, the partner apiKey or anything shaped like a JWT shows up in the logs or in what it stored.
/// </summary>
public sealed partial class SecretWatch
{
    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _logs = new();

    public SecretWatch(string apiKey) => _secrets[apiKey] = 0;

    /// <summary>Every credential seen so far (the apiKey included).</summary>
    public IReadOnlyCollection<string> Secrets => _secrets.Keys.ToList();

    public IReadOnlyCollection<string> Logs => _logs;

    public DelegatingHandler CreateRecordingHandler(HttpMessageHandler inner) => new RecordingHandler(this) { InnerHandler = inner };

    public ILoggerProvider CreateLoggerProvider() => new CapturingLoggerProvider(this);

    /// <summary>The places in <paramref name="texts"/> where a secret or a JWT appears, described without the secret.</summary>
    public IReadOnlyList<string> Leaks(IEnumerable<(string Where, string Text)> texts)
    {
        var secrets = Secrets.Where(s => s.Length >= 16).ToList();
        var leaks = new List<string>();
        foreach (var (where, text) in texts)
        {
            if (secrets.Any(s => text.Contains(s, StringComparison.Ordinal)))
            {
                leaks.Add($"{where}: contains a credential the processor used");
            }
            else if (JwtShape().IsMatch(text))
            {
                leaks.Add($"{where}: contains a JWT-shaped string");
            }
        }

        return leaks;
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")]
    private static partial Regex JwtShape();

    private sealed class RecordingHandler(SecretWatch watch) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.Authorization is AuthenticationHeaderValue { Parameter: { Length: > 0 } credential })
            {
                watch._secrets[credential] = 0;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class CapturingLoggerProvider(SecretWatch watch) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(watch, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(SecretWatch watch, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            watch._logs.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {values} {exception}");
        }
    }
}
