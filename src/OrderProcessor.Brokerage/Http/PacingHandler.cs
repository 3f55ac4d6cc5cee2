using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Pacing;
using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Http;

/// <summary>
/// Per-user gate and pacing together. A shared caller waits for pacing room <em>outside</em> the user's gate, then
/// takes the gate and, inside it, the slot (atomically, right before sending: no burst from late senders); when it
/// lost the slot to another caller it lets go of the gate and waits again. So nobody holds the gate while waiting for
/// pacing, and an order sequence never queues behind paced reads. A flow that holds the user's gate exclusively
/// (place → reply…) just waits for its slot. 429s are reported so the user and the IP back off.
/// </summary>
internal sealed partial class PacingHandler : DelegatingHandler
{
    private readonly UserCallGates _userGates;
    private readonly PacingGate _gate;
    private readonly PacingRuleBook _rules;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly BrokerageMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<PacingHandler> _logger;

    public PacingHandler(
        UserCallGates userGates,
        PacingGate gate,
        PacingRuleBook rules,
        IOptionsMonitor<BrokerageOptions> options,
        BrokerageMetrics metrics,
        TimeProvider time,
        ILogger<PacingHandler> logger)
    {
        _metrics = metrics;
        _time = time;
        _userGates = userGates;
        _options = options;
        _gate = gate;
        _rules = rules;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var userId = RequestUser.Of(request);
        var endpoint = IbkrEndpointCatalog.Identify(request);
        var rules = _rules.RulesFor(endpoint, userId);
        var maxWait = _options.CurrentValue.Timeouts.PacingWait;
        var waitingSince = _time.GetTimestamp();
        if (UserCallGates.HoldsExclusive(userId))
        {
            var grant = await _gate.WaitForTurnAsync(rules, maxWait, cancellationToken) ?? throw NoSlot(endpoint, userId, maxWait);
            _metrics.PacingWaited(endpoint.Name, _time.GetElapsedTime(waitingSince));
            return await SendAndReportAsync(request, userId, endpoint, rules, grant, cancellationToken);
        }

        var giveUpAt = _gate.Deadline(maxWait);
        while (true)
        {
            if (!await _gate.WaitForRoomAsync(rules, giveUpAt, cancellationToken))
            {
                throw NoSlot(endpoint, userId, maxWait);
            }

            using (await _userGates.EnterSharedAsync(userId, cancellationToken))
            {
                if (_gate.TryTake(rules) is { } grant)
                {
                    _metrics.PacingWaited(endpoint.Name, _time.GetElapsedTime(waitingSince));
                    return await SendAndReportAsync(request, userId, endpoint, rules, grant, cancellationToken);
                }
            }
        }
    }

    /// <summary>Sends on a granted slot and tells the gate how it went (429, an answer, or none: a probe without answer lets another go).</summary>
    private async Task<HttpResponseMessage> SendAndReportAsync(
        HttpRequestMessage request,
        string userId,
        IbkrEndpoint endpoint,
        IReadOnlyList<PacingRule> rules,
        PacingGrant grant,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        var sentAt = _time.GetTimestamp();
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch
        {
            _metrics.RequestAnswered(endpoint.Name, null, _time.GetElapsedTime(sentAt));
            _gate.ReportNoAnswer(rules, grant);
            throw;
        }

        _metrics.RequestAnswered(endpoint.Name, (int)response.StatusCode, _time.GetElapsedTime(sentAt));

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            LogPaced(_logger, userId, endpoint.Name);
            _gate.ReportTooManyRequests(rules, grant);
        }
        else
        {
            _gate.ReportAnswered(rules, grant);
        }

        return response;
    }

    private static BrokerageException NoSlot(IbkrEndpoint endpoint, string userId, TimeSpan maxWait) => new(
        BrokerageFailureKind.Paced,
        $"No pacing slot for {endpoint.Name} within {maxWait.TotalSeconds:0} s (Brokerage__Timeouts__PacingWait); nothing was sent.",
        userId,
        endpoint.Name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IBKR answered 429 to {Endpoint} for user {UserId}; backing off the user and the egress IP")]
    private static partial void LogPaced(ILogger logger, string userId, string endpoint);
}
