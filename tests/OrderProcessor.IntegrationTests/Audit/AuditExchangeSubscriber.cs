using System.Collections.Concurrent;
using System.Reflection;
using MassTransit;
using OrderProcessor.Audit;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Outbox;

namespace OrderProcessor.IntegrationTests.Audit;

/// <summary>
/// An auditor's application: its own queue bound only to the audit fanout exchange (no event type exchanges), recording
/// each replayed event with its message id and replay headers. Its bus also sends the replays.
/// </summary>
public sealed class AuditExchangeSubscriber : IAsyncDisposable
{
    private static readonly MethodInfo SubscribeMethod =
        typeof(AuditExchangeSubscriber).GetMethod(nameof(Subscribe), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<ReplayedEvent> _received;

    private AuditExchangeSubscriber(IBusControl bus, ConcurrentQueue<ReplayedEvent> received) => (_bus, _received) = (bus, received);

    public IBus Bus => _bus;

    public IReadOnlyCollection<ReplayedEvent> Received => _received;

    public static async Task<AuditExchangeSubscriber> StartAsync(IsolatedServers servers, string exchange = OutboxReplayer.DefaultExchange)
    {
        var received = new ConcurrentQueue<ReplayedEvent>();
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(servers.Servers.RabbitHost, (ushort)servers.Servers.RabbitPort, servers.VirtualHost, host =>
            {
                host.Username(servers.Servers.RabbitUsername);
                host.Password(servers.Servers.RabbitPassword);
            });
            rabbit.ReceiveEndpoint("audit-subscriber", endpoint =>
            {
                endpoint.ConfigureConsumeTopology = false;
                endpoint.Bind(exchange, bind => bind.ExchangeType = "fanout");
                foreach (var eventType in OrderEventTypes.All)
                {
                    SubscribeMethod.MakeGenericMethod(eventType).Invoke(null, [endpoint, received]);
                }
            });
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(timeout.Token);
        return new AuditExchangeSubscriber(bus, received);
    }

    public async Task<IReadOnlyList<ReplayedEvent>> WaitForCountAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (_received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return _received.Count >= count
            ? _received.ToList()
            : throw new TimeoutException($"{_received.Count} of {count} replayed events arrived on the audit exchange.");
    }

    private static void Subscribe<TEvent>(IReceiveEndpointConfigurator endpoint, ConcurrentQueue<ReplayedEvent> received)
        where TEvent : class, IOrderEvent =>
        endpoint.Handler<TEvent>(context =>
        {
            received.Enqueue(new ReplayedEvent(context.MessageId ?? Guid.Empty, context.Message,
                context.Headers.Get<string>(OutboxReplayer.ReplayHeader), context.Headers.Get<string>(OutboxReplayer.ReplayedAtHeader),
                context.Headers.TryGetHeader(OutboxPublisher.OutboxSequenceHeader, out var sequence)
                    ? Convert.ToInt64(sequence, System.Globalization.CultureInfo.InvariantCulture)
                    : null));
            return Task.CompletedTask;
        });

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}

/// <summary>A replayed event as the auditor received it.</summary>
public sealed record ReplayedEvent(Guid MessageId, IOrderEvent Event, string? ReplayMarker, string? ReplayedAt, long? OutboxSequence);
