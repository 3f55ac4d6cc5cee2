using System.Text.Json;
using MassTransit;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Outbox;

/// <summary>
/// Sends an outbox row as its contract type with the row's own message id and identity headers. The relay publishes
/// and responds with it; replay sends with it to the audit exchange.
/// </summary>
public static class OutboxPublisher
{
    public const string OrderSequenceHeader = "OrderProcessor-OrderSequence";
    public const string OutboxSequenceHeader = "OrderProcessor-OutboxSequence";

    public static Task PublishAsync(IPublishEndpoint endpoint, OutboxMessage row, CancellationToken cancellationToken)
    {
        var (message, type) = Read(row);
        return PublishAsync(endpoint, row, message, type, cancellationToken);
    }

    /// <summary>Publishes the row's event already read as its contract type (see <see cref="OutboxParking.TryRead"/>).</summary>
    public static Task PublishAsync(IPublishEndpoint endpoint, OutboxMessage row, object message, Type type, CancellationToken cancellationToken) =>
        endpoint.Publish(message, type, context => Stamp(context, row), cancellationToken);

    /// <summary>Sends the row's event to the requester that asked for it (MassTransit request/response).</summary>
    public static async Task RespondAsync(ISendEndpointProvider endpoints, OutboxMessage row, CancellationToken cancellationToken)
    {
        var (message, type) = Read(row);
        var endpoint = await endpoints.GetSendEndpoint(new Uri(row.ResponseAddress!));
        await endpoint.Send(message, type, context =>
        {
            context.RequestId = row.RequestId;
            context.CorrelationId = row.CorrelationId;
            context.ConversationId = row.CorrelationId;
            context.InitiatorId = row.CausationId;
        }, cancellationToken);
    }

    /// <summary>The row's event as its contract type.</summary>
    public static (object Message, Type Type) Read(OutboxMessage row)
    {
        var type = OrderEventTypes.Resolve(row.MessageType);
        var message = JsonSerializer.Deserialize(row.Body, type, ContractJson.Options)
            ?? throw new InvalidOperationException($"outbox row {row.Sequence} has an empty body.");
        return (message, type);
    }

    /// <summary>What every copy of the event carries: its original message id, conversation, causation and sequences.</summary>
    public static void Stamp(SendContext context, OutboxMessage row)
    {
        context.MessageId = row.MessageId;
        context.CorrelationId = row.CorrelationId;
        context.ConversationId = row.CorrelationId;
        context.InitiatorId = row.CausationId;
        context.Headers.Set(OrderSequenceHeader, row.OrderSequence);
        context.Headers.Set(OutboxSequenceHeader, row.Sequence);
    }
}
