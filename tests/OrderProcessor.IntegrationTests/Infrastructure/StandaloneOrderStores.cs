using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Availability;
using OrderProcessor.Configuration;
using OrderProcessor.Execution;
using OrderProcessor.Outbox;
using OrderProcessor.Telemetry;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// <see cref="PostgresOrderStore"/>s on an isolated database of their own (<see cref="Servers"/>), without a processor
/// or a bus (for tests of the store's statements), with metrics of their own (<see cref="Meters"/>, for a
/// <c>MetricCollector</c>). A test class's lifetime: initialise and dispose it with the class.
/// </summary>
public sealed class StandaloneOrderStores : IAsyncLifetime
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public IsolatedServers Servers { get; } = new();

    public IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    public PostgresOrderStore Create(LifecycleOptions settings, TimeProvider clock, IIbkrAvailability? availability = null)
    {
        var options = Options.Create(settings);
        var metrics = new OrderProcessorMetrics(Meters, new DatabaseGauges(Servers.DbContextFactory, clock));
        return new PostgresOrderStore(Servers.DbContextFactory, new UserSessionOwnership(options, clock), new OutboxSignal(), new BrokerWorkSignal(),
            options, metrics, clock, halts: null, availability: availability);
    }

    public Task InitializeAsync() => Servers.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await Servers.DisposeAsync();
    }
}
