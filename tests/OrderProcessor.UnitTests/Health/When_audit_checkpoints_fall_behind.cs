using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Audit.Checkpoints;
using OrderProcessor.Health;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Health;

public sealed class When_audit_checkpoints_fall_behind(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));

    public void Dispose() => _services.Dispose();

    private (AuditCheckpointStatus Status, AuditCheckpointHealthCheck Check) Create()
    {
        var status = new AuditCheckpointStatus(_services.GetRequiredService<IMeterFactory>(), _time);
        return (status, new AuditCheckpointHealthCheck(status, Options.Create(new AuditCheckpointOptions { Interval = Interval }), _time));
    }

    private async Task<HealthStatus> StatusAfterAsync(AuditCheckpointHealthCheck check, TimeSpan wait)
    {
        _time.Advance(wait);
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        output.WriteLine($"{_time.GetUtcNow():HH:mm:ss}: {result.Status}: {result.Description}");
        return result.Status;
    }

    [Fact]
    public async Task Should_be_healthy_when_off_and_degraded_never_unhealthy_when_none_is_signed_for_two_intervals()
    {
        var (status, check) = Create();
        Assert.Equal(HealthStatus.Healthy, await StatusAfterAsync(check, TimeSpan.FromHours(1)));

        status.Start();
        Assert.Equal(HealthStatus.Healthy, await StatusAfterAsync(check, Interval));
        Assert.Equal(HealthStatus.Degraded, await StatusAfterAsync(check, Interval + TimeSpan.FromMinutes(1)));

        status.Signed(AuditCheckpoint.Sign(CheckpointSigningKey.Generate(), 7, new ChainHeads().Digest(), _time.GetUtcNow()));
        Assert.Equal(HealthStatus.Healthy, await StatusAfterAsync(check, TimeSpan.FromSeconds(1)));
        Assert.Equal(HealthStatus.Degraded, await StatusAfterAsync(check, (2 * Interval) + TimeSpan.FromMinutes(1)));
        Assert.Equal(HealthStatus.Degraded, await StatusAfterAsync(check, TimeSpan.FromDays(1)));

        // Another processor holding the lock is signing this round: that counts.
        status.TakenByAnother();
        Assert.Equal(HealthStatus.Healthy, await StatusAfterAsync(check, TimeSpan.FromSeconds(1)));
    }
}
