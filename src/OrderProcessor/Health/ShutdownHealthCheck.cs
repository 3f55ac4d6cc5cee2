using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderProcessor.Health;

/// <summary>
/// Unhealthy from the moment the processor is asked to stop: readiness goes first, so an orchestrator stops counting
/// the instance as available while it drains (its commands stay queued for the other instances).
/// </summary>
public sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("shutting down: draining IBKR calls and publishing what they recorded")
            : HealthCheckResult.Healthy("running"));
}
