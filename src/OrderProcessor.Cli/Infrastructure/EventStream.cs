using System.Collections.Concurrent;
using System.Reflection;
using MassTransit;
using OrderProcessor.Contracts;
using OrderProcessor.Outbox;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>Every order event delivered to a temporary queue of this CLI process, with its message id.</summary>
public sealed class EventStream
{
    private static readonly MethodInfo SubscribeMethod =
        typeof(EventStream).GetMethod(nameof(Subscribe), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private readonly ConcurrentQueue<(Guid MessageId, IOrderEvent Event)> _events = new();

    public event Action<Guid, IOrderEvent>? Received;

    public IReadOnlyCollection<(Guid MessageId, IOrderEvent Event)> Events => _events;

    /// <summary>Binds a temporary, auto-deleted queue to every order event exchange.</summary>
    public void Configure(IRabbitMqBusFactoryConfigurator rabbit)
    {
        rabbit.ReceiveEndpoint(new TemporaryEndpointDefinition("orders-cli"), endpoint =>
        {
            foreach (var type in OrderEventTypes.All)
            {
                SubscribeMethod.MakeGenericMethod(type).Invoke(this, [endpoint]);
            }
        });
    }

    private void Subscribe<TEvent>(IReceiveEndpointConfigurator endpoint)
        where TEvent : class, IOrderEvent =>
        endpoint.Handler<TEvent>(context =>
        {
            var messageId = context.MessageId ?? Guid.Empty;
            _events.Enqueue((messageId, context.Message));
            Received?.Invoke(messageId, context.Message);
            return Task.CompletedTask;
        });
}
