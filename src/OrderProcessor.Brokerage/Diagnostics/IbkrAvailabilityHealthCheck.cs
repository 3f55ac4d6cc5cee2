using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderProcessor.Brokerage.Availability;

namespace OrderProcessor.Brokerage.Diagnostics;

/// <summary>
/// Degraded while an IBKR region (or users) are detected down outside a scheduled window: an outage nobody announced.
/// A scheduled window is Healthy (expected; the data says until when). Counts only, no user names (the readiness
/// endpoint is unauthenticated). Register with <c>AddCheck&lt;IbkrAvailabilityHealthCheck&gt;("ibkr-availability")</c>.
/// </summary>
public sealed class IbkrAvailabilityHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IIbkrAvailability>() is not IbkrAvailability { Enabled: true } availability)
        {
            return Task.FromResult(HealthCheckResult.Healthy("IBKR availability is not tracked (Brokerage:Maintenance:Enabled=false)"));
        }

        var regions = availability.Regions();
        var data = new Dictionary<string, object>();
        foreach (var region in regions)
        {
            data[region.Region] = region.WindowUntil is { } until ? $"scheduled maintenance until {until:u}"
                : region.DetectedDownSince is { } since ? $"down since {since:u}"
                : region.UsersDown > 0 ? $"{region.UsersDown} user(s) down"
                : "available";
        }

        var down = regions.Where(static r => r.WindowUntil is null && (r.DetectedDownSince is not null || r.UsersDown > 0)).ToList();
        if (down.Count == 0)
        {
            var inWindow = regions.Count(static r => r.WindowUntil is not null);
            return Task.FromResult(HealthCheckResult.Healthy(inWindow == 0 ? "IBKR available in every region" : $"{inWindow} region(s) in scheduled maintenance", data));
        }

        return Task.FromResult(HealthCheckResult.Degraded(
            $"IBKR detected down outside a scheduled window: {string.Join(", ", down.Select(static r => r.DetectedDownSince is not null ? r.Region : $"{r.Region} ({r.UsersDown} user(s))"))}; their calls wait",
            data: data));
    }
}
