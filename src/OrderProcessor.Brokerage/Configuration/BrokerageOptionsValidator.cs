using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrderProcessor.Brokerage.Configuration;

/// <summary>Start-up validation; every message names the setting (as its environment variable) that is missing or wrong.</summary>
internal sealed class BrokerageOptionsValidator(IServiceProvider services) : IValidateOptions<BrokerageOptions>
{
    // HS256 with Microsoft.IdentityModel needs a key of at least 256 bits.
    private const int MinimumApiKeyLength = 32;
    private const int MaximumSuppressibleIds = 51;

    public ValidateOptionsResult Validate(string? name, BrokerageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        // Outside Development the bearer tokens, session cookies and orders travel only over TLS. No host at all (a
        // bare service collection) counts as production.
        var httpAllowed = options.AllowInsecureHttp || services.GetService<IHostEnvironment>()?.IsDevelopment() == true;
        RequireAbsoluteHttpUrl(options.PiTrade.BaseUrl, "Brokerage__PiTrade__BaseUrl", httpAllowed, failures);
        if (string.IsNullOrWhiteSpace(options.PiTrade.ClientId))
        {
            failures.Add("Brokerage__PiTrade__ClientId is missing: the partner client id issued by PiTrade.");
        }

        if (string.IsNullOrEmpty(options.PiTrade.ApiKey))
        {
            failures.Add("Brokerage__PiTrade__ApiKey is missing: the partner secret issued by PiTrade.");
        }
        else if (options.PiTrade.ApiKey.Length < MinimumApiKeyLength)
        {
            failures.Add($"Brokerage__PiTrade__ApiKey is too short: HS256 needs at least {MinimumApiKeyLength} characters.");
        }

        if (options.PiTrade.EgressIp is { Length: > 0 } ip && !IPAddress.TryParse(ip, out _))
        {
            failures.Add("Brokerage__PiTrade__EgressIp is not an IP address.");
        }

        RequirePositive(options.PiTrade.TokenRefreshAhead, "Brokerage__PiTrade__TokenRefreshAhead", failures);
        RequirePositive(options.PiTrade.PartnerProbeInterval, "Brokerage__PiTrade__PartnerProbeInterval", failures);
        RequireAbsoluteHttpUrl(options.Ibkr.BaseUrl, "Brokerage__Ibkr__BaseUrl", httpAllowed, failures);

        if (options.Questions.EffectiveAllowedIds.Count > MaximumSuppressibleIds)
        {
            failures.Add($"Brokerage__Questions__AllowedIds has {options.Questions.EffectiveAllowedIds.Count} ids; IBKR suppresses at most {MaximumSuppressibleIds}.");
        }

        if (options.Questions.EffectiveAllowedIds.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("Brokerage__Questions__AllowedIds contains an empty id.");
        }

        if (options.Questions.MaxReplyRounds < 1)
        {
            failures.Add("Brokerage__Questions__MaxReplyRounds must be at least 1.");
        }

        RequirePositive(options.Session.TickleInterval, "Brokerage__Session__TickleInterval", failures);
        RequirePositive(options.Session.TickleRetryInterval, "Brokerage__Session__TickleRetryInterval", failures);
        RequirePositive(options.Session.IdleAfter, "Brokerage__Session__IdleAfter", failures);
        RequirePositive(options.Session.TickleScanInterval, "Brokerage__Session__TickleScanInterval", failures);
        RequirePositive(options.Session.PruneAfter, "Brokerage__Session__PruneAfter", failures);
        RequirePositive(options.Session.PruneInterval, "Brokerage__Session__PruneInterval", failures);
        if (options.Session.PruneAfter < options.Session.IdleAfter)
        {
            failures.Add("Brokerage__Session__PruneAfter must not be shorter than Brokerage__Session__IdleAfter: a session still kept alive would be forgotten.");
        }
        RequirePositive(options.Session.TickleTimeout, "Brokerage__Session__TickleTimeout", failures);

        if (options.Pacing.PerUserPerSecond < 1)
        {
            failures.Add("Brokerage__Pacing__PerUserPerSecond must be at least 1.");
        }

        if (options.Pacing.PerEgressIpPerSecond < 1)
        {
            failures.Add("Brokerage__Pacing__PerEgressIpPerSecond must be at least 1.");
        }

        RequirePositive(options.Pacing.LiveOrdersInterval, "Brokerage__Pacing__LiveOrdersInterval", failures);
        RequirePositive(options.Pacing.TickleInterval, "Brokerage__Pacing__TickleInterval", failures);
        RequirePositive(options.Pacing.BackoffAfterTooManyRequests, "Brokerage__Pacing__BackoffAfterTooManyRequests", failures);
        if (options.Pacing.SafetyMargin < TimeSpan.Zero)
        {
            failures.Add("Brokerage__Pacing__SafetyMargin must not be negative.");
        }

        if (options.Pacing.MaxBackoff < options.Pacing.BackoffAfterTooManyRequests)
        {
            failures.Add("Brokerage__Pacing__MaxBackoff must be at least Brokerage__Pacing__BackoffAfterTooManyRequests.");
        }

        RequirePositive(options.Pacing.EgressPauseAfterTooManyRequests, "Brokerage__Pacing__EgressPauseAfterTooManyRequests", failures);
        if (options.Pacing.MaxBackoff < options.Pacing.EgressPauseAfterTooManyRequests)
        {
            failures.Add("Brokerage__Pacing__MaxBackoff must be at least Brokerage__Pacing__EgressPauseAfterTooManyRequests.");
        }

        RequirePositive(options.Pacing.ProbeTimeout, "Brokerage__Pacing__ProbeTimeout", failures);
        RequirePositive(options.Pacing.SharedBudgetHeartbeat, "Brokerage__Pacing__SharedBudgetHeartbeat", failures);
        if (options.Pacing.SharedBudgetMemberTimeout < 2 * options.Pacing.SharedBudgetHeartbeat)
        {
            failures.Add("Brokerage__Pacing__SharedBudgetMemberTimeout must be at least twice Brokerage__Pacing__SharedBudgetHeartbeat.");
        }

        RequirePositive(options.Pacing.RampTime, "Brokerage__Pacing__RampTime", failures);
        if (options.Pacing.RampStartPerSecond < 1 || options.Pacing.RampStartPerSecond > options.Pacing.PerEgressIpPerSecond)
        {
            failures.Add("Brokerage__Pacing__RampStartPerSecond must be between 1 and Brokerage__Pacing__PerEgressIpPerSecond.");
        }

        RequirePositive(options.Timeouts.Attempt, "Brokerage__Timeouts__Attempt", failures);
        RequirePositive(options.Timeouts.Total, "Brokerage__Timeouts__Total", failures);
        RequirePositive(options.Timeouts.PacingWait, "Brokerage__Timeouts__PacingWait", failures);
        if (options.Timeouts.Total < options.Timeouts.Attempt)
        {
            failures.Add("Brokerage__Timeouts__Total must be at least Brokerage__Timeouts__Attempt.");
        }

        if (options.Resilience.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add("Brokerage__Resilience__MaxRetryAttempts must be between 0 and 10.");
        }

        if (options.Resilience.BreakerFailureRatio is <= 0 or > 1)
        {
            failures.Add("Brokerage__Resilience__BreakerFailureRatio must be in (0, 1].");
        }

        if (options.Resilience.BreakerMinimumThroughput < 2)
        {
            failures.Add("Brokerage__Resilience__BreakerMinimumThroughput must be at least 2.");
        }

        if (options.Resilience.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add("Brokerage__Resilience__BreakerSamplingDuration must be at least 0.5 s.");
        }

        if (options.Resilience.BreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add("Brokerage__Resilience__BreakerBreakDuration must be at least 0.5 s.");
        }

        if (options.Resilience.RetryBudgetPerUser < 0)
        {
            failures.Add("Brokerage__Resilience__RetryBudgetPerUser must not be negative.");
        }

        RequirePositive(options.Resilience.RetryBudgetWindow, "Brokerage__Resilience__RetryBudgetWindow", failures);
        ValidateStream(options.Stream, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateStream(StreamOptions stream, List<string> failures)
    {
        RequirePositive(stream.HeartbeatTimeout, "Brokerage__Stream__HeartbeatTimeout", failures);
        RequirePositive(stream.TicInterval, "Brokerage__Stream__TicInterval", failures);
        RequirePositive(stream.SuccessTimeout, "Brokerage__Stream__SuccessTimeout", failures);
        RequirePositive(stream.ReconnectBaseDelay, "Brokerage__Stream__ReconnectBaseDelay", failures);
        RequirePositive(stream.IdleCloseAfter, "Brokerage__Stream__IdleCloseAfter", failures);
        if (stream.TicInterval > TimeSpan.FromSeconds(60))
        {
            failures.Add("Brokerage__Stream__TicInterval must be at most 60 s: IBKR wants a tic at least once a minute.");
        }

        if (stream.HeartbeatTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add("Brokerage__Stream__HeartbeatTimeout must be at least 1 s (IBKR's heartbeat comes about every 10 s).");
        }

        if (stream.ReconnectMaxDelay < stream.ReconnectBaseDelay)
        {
            failures.Add("Brokerage__Stream__ReconnectMaxDelay must be at least Brokerage__Stream__ReconnectBaseDelay.");
        }

        if (stream.MaxMessageBytes < 4096)
        {
            failures.Add("Brokerage__Stream__MaxMessageBytes must be at least 4096.");
        }

        if (stream.MalformedBeforeReconnect < 1)
        {
            failures.Add("Brokerage__Stream__MalformedBeforeReconnect must be at least 1.");
        }

        if (stream.ObserverQueueCapacity < 16)
        {
            failures.Add("Brokerage__Stream__ObserverQueueCapacity must be at least 16.");
        }
    }

    private static void RequireAbsoluteHttpUrl(Uri? url, string setting, bool httpAllowed, List<string> failures)
    {
        if (url is null)
        {
            failures.Add($"{setting} is missing.");
        }
        else if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{setting} must be an absolute http(s) URL.");
        }
        else if (url.Scheme == Uri.UriSchemeHttp && !httpAllowed)
        {
            failures.Add($"{setting} must be an https URL outside the Development environment (set Brokerage__AllowInsecureHttp=true only for a local simulator).");
        }
    }

    private static void RequirePositive(TimeSpan value, string setting, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{setting} must be a positive duration.");
        }
    }
}
