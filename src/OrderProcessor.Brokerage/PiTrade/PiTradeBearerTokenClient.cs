using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using OrderProcessor.Brokerage.Failures;

namespace OrderProcessor.Brokerage.PiTrade;

/// <summary>
/// The one adapter of PiTrade's (partly unpublished) bearer-token contract:
/// <c>POST /brokerage-bearer-token</c>, <c>Authorization: Bearer &lt;partner JWT&gt;</c>,
/// body <c>{"userId","ip"?}</c>, answer <c>{"accessToken","tokenType","expiresIn","ip"}</c>.
/// If PiTrade's real contract differs, this file is the one to change.
/// </summary>
internal sealed partial class PiTradeBearerTokenClient : IPiTradeBearerTokenClient
{
    public const string HttpClientName = "OrderProcessor.Brokerage.PiTrade";
    private const string Path = "brokerage-bearer-token";
    private const string Endpoint = "pitrade-bearer-token";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;
    private readonly PartnerJwtIssuer _jwt;
    private readonly TimeProvider _time;
    private readonly ILogger<PiTradeBearerTokenClient> _logger;
    private readonly PartnerStatus _partner;

    public PiTradeBearerTokenClient(HttpClient http, PartnerJwtIssuer jwt, TimeProvider time, PartnerStatus partner, ILogger<PiTradeBearerTokenClient> logger)
    {
        _http = http;
        _jwt = jwt;
        _time = time;
        _partner = partner;
        _logger = logger;
    }

    public async Task<BearerToken> RequestTokenAsync(string userId, string? ip, CancellationToken cancellationToken)
    {
        var requestedAt = _time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Content = JsonContent.Create(new TokenRequest(userId, ip), options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _jwt.GetToken());

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                       or Polly.CircuitBreaker.BrokenCircuitException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnreachable(_logger, userId, ex.GetType().Name);
            throw new BrokerageException(BrokerageFailureKind.NotReady,
                "PiTrade's bearer-token service could not be reached.", userId, Endpoint, innerException: ex);
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                var text = await ReadErrorAsync(response, cancellationToken);
                var status = (int)response.StatusCode;
                if (response.StatusCode == HttpStatusCode.Unauthorized || RefusesThePartner(text))
                {
                    // The partner JWT is everyone's: no user's order is at fault, and every submission waits for the fix.
                    _jwt.Discard();
                    _partner.Refused($"HTTP {status}: {text ?? "no reason given"}", IsClockSkew(text));
                    throw new BrokerageException(BrokerageFailureKind.PartnerStopped,
                        $"PiTrade refused our partner credentials (HTTP {status}); submissions wait until Brokerage__PiTrade__ClientId, Brokerage__PiTrade__ApiKey or the host clock is fixed.",
                        userId, Endpoint, text);
                }

                LogNotEntitled(_logger, userId, text);
                throw new BrokerageException(BrokerageFailureKind.UserNotEntitled,
                    $"PiTrade does not entitle user {userId} to an IBKR bearer token (HTTP {status}): {text ?? "no reason given"}.",
                    userId, Endpoint, text);
            }

            if (!response.IsSuccessStatusCode)
            {
                // 408, 429, 5xx and any other refusal of one request: a set-up failure, never the order's outcome.
                var text = await ReadErrorAsync(response, cancellationToken);
                LogFailed(_logger, userId, (int)response.StatusCode, text);
                throw new BrokerageException(BrokerageFailureKind.NotReady,
                    $"PiTrade did not issue a bearer token (HTTP {(int)response.StatusCode}); the call waits and is retried.", userId, Endpoint, text);
            }

            var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(Json, cancellationToken);
            if (answer is null || string.IsNullOrEmpty(answer.AccessToken) || answer.ExpiresIn <= 0)
            {
                throw new BrokerageException(BrokerageFailureKind.NotReady,
                    "PiTrade answered without a usable bearer token.", userId, Endpoint);
            }

            _partner.Accepted();

            return new BearerToken(answer.AccessToken, requestedAt, TimeSpan.FromSeconds(answer.ExpiresIn), answer.Ip ?? ip);
        }
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error) ? error.ToString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A 403 that names the partner (invalid_client, clientId, the JWT) rather than the user.</summary>
    private static bool RefusesThePartner(string? text) =>
        text is not null && (text.Contains("invalid_client", StringComparison.OrdinalIgnoreCase)
            || text.Contains("clientId", StringComparison.OrdinalIgnoreCase)
            || text.Contains("partner", StringComparison.OrdinalIgnoreCase)
            || text.Contains("JWT", StringComparison.OrdinalIgnoreCase));

    /// <summary>The partner JWT's time was refused (issued in the future, expired on arrival): our clock, not our credentials.</summary>
    private static bool IsClockSkew(string? text) =>
        text is not null && (text.Contains("future", StringComparison.OrdinalIgnoreCase)
            || text.Contains("expired", StringComparison.OrdinalIgnoreCase)
            || text.Contains("not yet valid", StringComparison.OrdinalIgnoreCase)
            || text.Contains("clock", StringComparison.OrdinalIgnoreCase)
            || text.Contains("skew", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Error, Message = "PiTrade does not entitle user {UserId} to an IBKR bearer token: {Reason}; that user's orders are rejected")]
    private static partial void LogNotEntitled(ILogger logger, string userId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PiTrade bearer-token request for user {UserId} failed with HTTP {Status}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string userId, int status, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PiTrade bearer-token request for user {UserId} did not get through ({Failure})")]
    private static partial void LogUnreachable(ILogger logger, string userId, string failure);

    private sealed record TokenRequest(
        [property: JsonPropertyName("userId")] string UserId,
        [property: JsonPropertyName("ip")] string? Ip);

    private sealed record TokenAnswer(
        [property: JsonPropertyName("accessToken")] string? AccessToken,
        [property: JsonPropertyName("tokenType")] string? TokenType,
        [property: JsonPropertyName("expiresIn")] double ExpiresIn,
        [property: JsonPropertyName("ip")] string? Ip);
}
