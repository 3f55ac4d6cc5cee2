using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Streaming;

namespace OrderProcessor.Brokerage.Diagnostics;

/// <summary>
/// The users' order streams: Degraded at worst, since polling still follows every order (readiness must not fail for
/// a socket). Counts by state only: user ids stay out of health answers.
/// </summary>
public sealed class OrderStreamHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IOrderStreams>() is not OrderStreamSupervisor supervisor
            || services.GetService<IOptionsMonitor<BrokerageOptions>>()?.CurrentValue.Stream.Enabled == false)
        {
            return Task.FromResult(HealthCheckResult.Healthy("order streams are off: every user is followed by polling"));
        }

        var counts = Enum.GetValues<OrderStreamState>().Where(static s => s != OrderStreamState.NotFollowed).ToDictionary(static s => s, static _ => 0);
        foreach (var state in supervisor.States())
        {
            if (counts.ContainsKey(state))
            {
                counts[state]++;
            }
        }

        var data = counts.ToDictionary(static c => c.Key.ToString(), static c => (object)c.Value);
        var summary = $"{counts[OrderStreamState.Streaming]} streaming, {counts[OrderStreamState.Connecting]} connecting, {counts[OrderStreamState.Reconnecting]} reconnecting, {counts[OrderStreamState.PollingOnly]} polling only";

        // Connecting is a normal moment; users left reconnecting or polling only are followed by the 5 s poll instead.
        return Task.FromResult(counts[OrderStreamState.Reconnecting] + counts[OrderStreamState.PollingOnly] > 0
            ? HealthCheckResult.Degraded(summary + " (polling covers them)", data: data)
            : HealthCheckResult.Healthy(summary, data: data));
    }
}
