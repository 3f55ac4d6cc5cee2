using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Operations;

/// <summary>
/// Readiness follows PostgreSQL and RabbitMQ: the processor reaches them through proxies that the test cuts and
/// restores, which is what a stopped and restarted server looks like from the processor.
/// </summary>
public sealed class When_a_server_goes_away : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();
    private SimulatorUnderTest _simulator = null!;
    private TcpProxy _postgres = null!;
    private TcpProxy _rabbit = null!;
    private ProcessorUnderTest _processor = null!;

    public async Task InitializeAsync()
    {
        await _servers.InitializeAsync();
        _simulator = new SimulatorUnderTest();
        var database = new NpgsqlConnectionStringBuilder(_servers.ConnectionString);
        _postgres = new TcpProxy(database.Host!, database.Port);
        _rabbit = new TcpProxy(_servers.Servers.RabbitHost, _servers.Servers.RabbitPort);
        database.Host = "127.0.0.1";
        database.Port = _postgres.Port;
        database.Timeout = 3;
        _processor = await ProcessorUnderTest.StartAsync(_servers, _simulator, new Dictionary<string, string?>
        {
            ["ConnectionStrings:OrderProcessor"] = database.ConnectionString,
            ["RabbitMq:Host"] = "127.0.0.1",
            ["RabbitMq:Port"] = _rabbit.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    [Fact]
    public async Task Should_turn_unready_when_postgresql_stops_and_ready_when_it_returns()
    {
        await WaitForReadinessAsync(HealthStatus.Healthy);

        _postgres.Cut();
        var report = await WaitForReadinessAsync(HealthStatus.Unhealthy);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["postgresql"].Status);

        _postgres.Restore();
        await WaitForReadinessAsync(HealthStatus.Healthy);
    }

    [Fact]
    public async Task Should_turn_unready_when_rabbitmq_stops_and_ready_when_it_returns()
    {
        await WaitForReadinessAsync(HealthStatus.Healthy);

        _rabbit.Cut();
        var report = await WaitForReadinessAsync(HealthStatus.Unhealthy);
        Assert.Contains(report.Entries, e => e.Key == "rabbitmq" && e.Value.Status != HealthStatus.Healthy);

        _rabbit.Restore();
        await WaitForReadinessAsync(HealthStatus.Healthy, TimeSpan.FromSeconds(60));
    }

    private async Task<HealthReport> WaitForReadinessAsync(HealthStatus expected, TimeSpan? timeout = null)
    {
        var health = _processor.Services.GetRequiredService<HealthCheckService>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        HealthReport report;
        do
        {
            report = await health.CheckHealthAsync(c => c.Tags.Contains(OrderProcessorServiceCollectionExtensions.ReadyTag));
            if (report.Status == expected)
            {
                return report;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"readiness stayed {report.Status}, not {expected}: " +
            string.Join("; ", report.Entries.Select(e => $"{e.Key}={e.Value.Status} {e.Value.Description}")));
    }

    public async Task DisposeAsync()
    {
        _postgres.Restore();
        _rabbit.Restore();
        await _processor.DisposeAsync();
        await _rabbit.DisposeAsync();
        await _postgres.DisposeAsync();
        await _simulator.DisposeAsync();
        await _servers.DisposeAsync();
    }
}
