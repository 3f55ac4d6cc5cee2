using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderProcessor.Health;

/// <summary>
/// Ready only while the bus is connected to RabbitMQ with every receive endpoint up. MassTransit's own check calls a
/// broker outage "degraded", which would keep an instance that can neither take commands nor publish events in rotation.
/// </summary>
public sealed class RabbitMqHealthCheck(IBusControl bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = bus.CheckHealth();
        return Task.FromResult(health.Status == BusHealthStatus.Healthy
            ? HealthCheckResult.Healthy("connected to RabbitMQ; every endpoint is up")
            : HealthCheckResult.Unhealthy($"RabbitMQ: {health.Description}"));
    }
}
