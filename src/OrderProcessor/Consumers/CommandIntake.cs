using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Infrastructure;

namespace OrderProcessor.Consumers;

/// <summary>
/// The command endpoints (<c>place-order</c>, <c>cancel-order</c>, <c>modify-order</c>, <c>margin-check</c>, and the kill
/// switch's <c>halt-trading</c>, <c>resume-trading</c>),
/// connected once the bus runs and stopped first when the processor stops. Stopping them apart from the bus is what makes
/// a clean stop clean: the instance takes no new command while the broker worker drains its IBKR calls, and the bus is
/// still there afterwards for the outbox relay to publish what the drain recorded.
/// </summary>
public sealed partial class CommandIntake(
    IReceiveEndpointConnector connector,
    IOptions<RabbitMqOptions> rabbitOptions,
    ILogger<CommandIntake> logger) : IHostedService
{
    private readonly List<HostReceiveEndpointHandle> _endpoints = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var formatter = new KebabCaseEndpointNameFormatter(rabbitOptions.Value.EndpointPrefix, false);
        Connect<PlaceOrderConsumer>(formatter);
        Connect<CancelOrderConsumer>(formatter);
        Connect<ModifyOrderConsumer>(formatter);
        Connect<MarginCheckConsumer>(formatter);
        Connect<HaltTradingConsumer>(formatter);
        Connect<ResumeTradingConsumer>(formatter);
        try
        {
            await Task.WhenAll(_endpoints.Select(e => e.Ready)).WaitAsync(StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"The command endpoints did not come up within {StartTimeout.TotalSeconds:F0} s. If RabbitMQ's log says PRECONDITION_FAILED " +
                $"(inequivalent arg 'x-queue-type'), the queues exist with another type than RabbitMq:QueueType={rabbitOptions.Value.QueueType}: " +
                "drain and delete them, or set RabbitMq:QueueType to their type.");
        }

        LogTakingCommands(_endpoints.Count, rabbitOptions.Value.QueueType);
    }

    /// <summary>Stops consuming; commands already received finish (MassTransit waits for them), the rest stay queued for the other instances.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Bounded on its own: a consumer retrying through a database outage would otherwise take the whole stop's
        // budget from the drain and the lease release. A consumer cut short is requeued, never dead-lettered.
        LogStopping(_endpoints.Count);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(StopTimeout);
        await Task.WhenAll(_endpoints.Select(e => e.StopAsync(bounded.Token))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>How long the endpoints may take to connect at start, and to finish what they received at stop.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private void Connect<TConsumer>(IEndpointNameFormatter formatter)
        where TConsumer : class, IConsumer =>
        _endpoints.Add(connector.ConnectReceiveEndpoint(formatter.Consumer<TConsumer>(), (context, endpoint) =>
        {
            if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.UseConfiguredQueueType(rabbitOptions.Value);
            }

            endpoint.ConfigureConsumer<TConsumer>(context);
        }));

    [LoggerMessage(Level = LogLevel.Information, Message = "Taking commands on {Count} endpoints ({QueueType} queues)")]
    private partial void LogTakingCommands(int count, RabbitMqQueueType queueType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: no more commands taken; {Count} endpoints finish what they received")]
    private partial void LogStopping(int count);
}
