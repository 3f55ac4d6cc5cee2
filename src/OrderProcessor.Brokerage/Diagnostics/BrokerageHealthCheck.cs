using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Diagnostics;

/// <summary>
/// Degraded while any user's session is held by another platform or failed to open; healthy otherwise (sessions
/// that are lost or not started open on the next call). Register with
/// <c>services.AddHealthChecks().AddCheck&lt;BrokerageHealthCheck&gt;("brokerage")</c>.
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
        var competing = sessions.Where(static s => s.State == BrokerageSessionState.Competing).Select(static s => s.UserId).ToArray();
        var failed = sessions.Where(static s => s.State == BrokerageSessionState.Failed).Select(static s => s.UserId).ToArray();
        var data = new Dictionary<string, object>
        {
            ["sessions"] = sessions.Count,
            ["ready"] = sessions.Count(static s => s.State == BrokerageSessionState.Ready),
            ["competing"] = competing,
            ["failed"] = failed,
        };

        if (competing.Length == 0 && failed.Length == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{sessions.Count} brokerage session(s)", data));
        }

        var description = $"competing sessions: {string.Join(", ", competing)}; failed sessions: {string.Join(", ", failed)}";
        return Task.FromResult(HealthCheckResult.Degraded(description, data: data));
    }
}
