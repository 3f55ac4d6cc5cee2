using System.Collections.Concurrent;
using MassTransit;
using OrderProcessor.Contracts;
using OrderProcessor.Infrastructure;
using OrderProcessor.Outbox;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A separate application on the same virtual host, as upstream and downstream systems are: it publishes commands and
/// subscribes to every order event through its own queue.
/// </summary>
public sealed class DownstreamSubscriber : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<ReceivedEvent> _received = new();

    private DownstreamSubscriber(IBusControl bus, ConcurrentQueue<ReceivedEvent> received)
    {
        _bus = bus;
        _received = received;
    }

    public IPublishEndpoint Publisher => _bus;

    private int _republished;

    /// <summary>Publishes that <see cref="PublishUntilAcceptedAsync"/> had to send again.</summary>
    public int Republished => _republished;

    /// <summary>
    /// Publishes as an upstream system that cannot tell whether a publish reached the broker does: again until the
    /// broker confirms it. The processor must treat a second copy of a command as the same command.
    /// </summary>
    public async Task PublishUntilAcceptedAsync<T>(T message)
        where T : class
    {
        while (true)
        {
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _bus.Publish(message, attempt.Token);
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _republished);
                await Task.Delay(250);
            }
        }
    }

    public IRequestClient<T> CreateRequestClient<T>()
        where T : class => _bus.CreateRequestClient<T>(RequestTimeout.After(s: 20));

    public IReadOnlyCollection<ReceivedEvent> Received => _received;

    public static async Task<DownstreamSubscriber> StartAsync(IsolatedServers servers)
    {
        var received = new ConcurrentQueue<ReceivedEvent>();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.ConnectTo(servers.RabbitMq);
            rabbit.ReceiveEndpoint("downstream-subscriber", endpoint =>
            {
                // A quorum queue, as a subscriber in production would declare: on a cluster it outlives the node it started on.
                endpoint.UseConfiguredQueueType(servers.RabbitMq);
                foreach (var eventType in OrderEventTypes.All)
                {
                    SubscribeMethod.MakeGenericMethod(eventType).Invoke(null, [endpoint, received]);
                }
            });
        });
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return new DownstreamSubscriber(bus, received);
    }

    private static readonly System.Reflection.MethodInfo SubscribeMethod =
        typeof(DownstreamSubscriber).GetMethod(nameof(Subscribe), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static void Subscribe<TEvent>(IReceiveEndpointConfigurator endpoint, ConcurrentQueue<ReceivedEvent> received)
        where TEvent : class, IOrderEvent =>
        endpoint.Handler<TEvent>(context =>
        {
            received.Enqueue(new ReceivedEvent(context.MessageId ?? Guid.Empty, context.Message, context.SupportedMessageTypes.ToArray()));
            return Task.CompletedTask;
        });

    public IReadOnlyList<ReceivedEvent> For(Guid orderId) =>
        _received.Where(e => e.Event.OrderId == orderId).OrderBy(e => e.Event.Sequence).ToList();

    /// <summary>Waits until the events of <paramref name="orderId"/> satisfy <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<ReceivedEvent>> WaitForAsync(Guid orderId, Func<IReadOnlyList<ReceivedEvent>, bool> condition,
        TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var events = For(orderId);
            if (condition(events))
            {
                return events;
            }

            await Task.Delay(50);
        }

        var seen = string.Join(", ", For(orderId).Select(e => $"{e.Event.Sequence}:{e.Event.GetType().Name}"));
        throw new TimeoutException($"order {orderId}: the expected events did not arrive; received [{seen}].");
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}

/// <summary>An event as a downstream subscriber saw it: the MassTransit message id and the deserialised event.</summary>
public sealed record ReceivedEvent(Guid MessageId, IOrderEvent Event, string[] MessageTypes);
