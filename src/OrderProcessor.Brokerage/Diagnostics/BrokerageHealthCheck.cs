using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Diagnostics;

/// <summary>
/// Degraded while PiTrade refuses our partner credentials (submissions are stopped for everyone: said first), or while any
/// user's session is held by another platform or failed its last set-up; healthy otherwise (sessions that are lost or
/// not started open on the next call). Only what is failing now counts (a session that opens again, or an idle user
/// that is forgotten, drops out), and the report carries counts only: the readiness endpoint is unauthenticated, so it
/// names no user. Register with <c>services.AddHealthChecks().AddCheck&lt;BrokerageHealthCheck&gt;("brokerage")</c>.
/// </summary>
public sealed class BrokerageHealthCheck : IHealthCheck
{
    private readonly IBrokerageSessionMonitor _sessions;

    public BrokerageHealthCheck(IBrokerageSessionMonitor sessions)
    {
        _sessions = sessions;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var sessions = _sessions.GetSessions();
        var competing = sessions.Count(static s => s.State == BrokerageSessionState.Competing);
        var failed = sessions.Count(static s => s.State == BrokerageSessionState.Failed);
        var partner = _sessions.PartnerStop;
        var data = new Dictionary<string, object>
        {
            ["sessions"] = sessions.Count,
            ["ready"] = sessions.Count(static s => s.State == BrokerageSessionState.Ready),
            ["competing"] = competing,
            ["failed"] = failed,
            ["partnerCredentialsRefused"] = partner is not null,
        };

        if (partner is { } stop)
        {
            data["partnerRefusedSince"] = stop.Since;
            return Task.FromResult(HealthCheckResult.Degraded(
                $"PiTrade refuses the partner credentials since {stop.Since:u} ({stop.Reason}): submissions wait for every user", data: data));
        }

        if (competing == 0 && failed == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{sessions.Count} brokerage session(s)", data));
        }

        var description = $"{competing} session(s) held by another platform; {failed} session(s) whose set-up failed";
        return Task.FromResult(HealthCheckResult.Degraded(description, data: data));
    }
}
