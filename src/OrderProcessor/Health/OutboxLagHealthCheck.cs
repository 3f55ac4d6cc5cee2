using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Telemetry;

namespace OrderProcessor.Health;

/// <summary>Degraded, then unhealthy, when the oldest unpublished outbox row gets old: events are not leaving.</summary>
public sealed class OutboxLagHealthCheck(DatabaseGauges gauges, IOptions<OutboxOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var lag = await gauges.ReadOutboxLagAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["lagSeconds"] = Math.Round(lag.TotalSeconds, 3) };
        if (lag >= options.Value.LagUnhealthyAfter)
        {
            return HealthCheckResult.Unhealthy($"the oldest unpublished event is {lag.TotalSeconds:F0} s old", data: data);
        }

        return lag >= options.Value.LagDegradedAfter
            ? HealthCheckResult.Degraded($"the oldest unpublished event is {lag.TotalSeconds:F1} s old", data: data)
            : HealthCheckResult.Healthy("events leave through the outbox", data);
    }
}
