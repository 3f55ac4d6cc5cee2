using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Pacing;

namespace OrderProcessor.Brokerage.Http;

/// <summary>Waits for the request's pacing rules to have room; reports 429s so the user and the IP back off.</summary>
internal sealed partial class PacingHandler : DelegatingHandler
{
    private readonly PacingGate _gate;
    private readonly PacingRuleBook _rules;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly ILogger<PacingHandler> _logger;

    public PacingHandler(PacingGate gate, PacingRuleBook rules, IOptionsMonitor<BrokerageOptions> options, ILogger<PacingHandler> logger)
    {
        _options = options;
        _gate = gate;
        _rules = rules;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var userId = RequestUser.Of(request);
        var endpoint = IbkrEndpointCatalog.Identify(request);
        var maxWait = _options.CurrentValue.Timeouts.PacingWait;
        if (!await _gate.WaitForTurnAsync(_rules.RulesFor(endpoint, userId), maxWait, cancellationToken))
        {
            throw new BrokerageException(BrokerageFailureKind.Paced,
                $"No pacing slot for {endpoint.Name} within {maxWait.TotalSeconds:0} s (Brokerage__Timeouts__PacingWait); nothing was sent.",
                userId, endpoint.Name);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            LogPaced(_logger, userId, endpoint.Name);
            _gate.ReportTooManyRequests(_rules.BackoffKeysFor(userId));
        }
        else
        {
            _gate.ReportSuccess(_rules.BackoffKeysFor(userId));
        }

        return response;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "IBKR answered 429 to {Endpoint} for user {UserId}; backing off the user and the egress IP")]
    private static partial void LogPaced(ILogger logger, string userId, string endpoint);
}
