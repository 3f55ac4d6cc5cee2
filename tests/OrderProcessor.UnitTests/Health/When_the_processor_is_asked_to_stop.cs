using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OrderProcessor.Health;

namespace OrderProcessor.UnitTests.Health;

public sealed class When_the_processor_is_asked_to_stop
{
    [Fact]
    public async Task Should_report_unready_from_that_moment()
    {
        var lifetime = new Lifetime();
        var check = new ShutdownHealthCheck(lifetime);

        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        lifetime.StopApplication();
        var stopping = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, stopping.Status);
        Assert.Contains("shutting down", stopping.Description, StringComparison.Ordinal);
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();
    }
}
