using MassTransit;
using OrderProcessor.Infrastructure;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>A MassTransit bus for one CLI command: publishes commands and, when asked, listens to order events on a temporary queue.</summary>
public sealed class CliBus : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly IBusControl _bus;

    private CliBus(IBusControl bus) => _bus = bus;

    public IPublishEndpoint Publisher => _bus;

    public static async Task<CliBus> StartAsync(CliSettings settings, Action<IRabbitMqBusFactoryConfigurator>? configure, CancellationToken cancellationToken)
    {
        var options = settings.RabbitMq;
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.ConnectTo(options, host => host.RequestedConnectionTimeout(TimeSpan.FromSeconds(5)));
            configure?.Invoke(rabbit);
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            await bus.StartAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await bus.StopAsync(CancellationToken.None);
            throw new UnreachableException($"{settings.BrokerDescription} is unreachable: {exception.GetBaseException().Message}", exception);
        }

        return new CliBus(bus);
    }

    /// <summary>
    /// Stops the bus within a few seconds: a CLI that is exiting (done, timed out, or Ctrl+C) must not hang on a busy
    /// broker's close handshakes; the event listener's queue is temporary and goes with the connection.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(StopTimeout);
        try
        {
            await _bus.StopAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Left to the broker: the connection closes with the process.
        }
    }

}
