using System.Text.Json;
using MassTransit;
using OrderProcessor.Persistence;

namespace OrderProcessor.Outbox;

/// <summary>Publishes an outbox row as its contract type with the row's own message id (relay and replay share this).</summary>
public static class OutboxPublisher
{
    public const string OrderSequenceHeader = "OrderProcessor-OrderSequence";
    public const string OutboxSequenceHeader = "OrderProcessor-OutboxSequence";

    /// <summary>Sends the row's event to the requester that asked for it (MassTransit request/response).</summary>
    public static async Task RespondAsync(ISendEndpointProvider endpoints, OutboxMessage row, CancellationToken cancellationToken)
    {
        var type = OrderEventTypes.Resolve(row.MessageType);
        var message = JsonSerializer.Deserialize(row.Body, type, ContractJson.Options)!;
        var endpoint = await endpoints.GetSendEndpoint(new Uri(row.ResponseAddress!));
        await endpoint.Send(message, type, context =>
        {
            context.RequestId = row.RequestId;
            context.CorrelationId = row.CorrelationId;
            context.ConversationId = row.CorrelationId;
            context.InitiatorId = row.CausationId;
        }, cancellationToken);
    }

    public static Task PublishAsync(IPublishEndpoint endpoint, OutboxMessage row, IReadOnlyDictionary<string, string>? headers,
        CancellationToken cancellationToken)
    {
        var type = OrderEventTypes.Resolve(row.MessageType);
        var message = JsonSerializer.Deserialize(row.Body, type, ContractJson.Options)
            ?? throw new InvalidOperationException($"outbox row {row.Sequence} has an empty body.");
        return endpoint.Publish(message, type, context =>
        {
            context.MessageId = row.MessageId;
            context.CorrelationId = row.CorrelationId;
            context.ConversationId = row.CorrelationId;
            context.InitiatorId = row.CausationId;
            context.Headers.Set(OrderSequenceHeader, row.OrderSequence);
            context.Headers.Set(OutboxSequenceHeader, row.Sequence);
            foreach (var (key, value) in headers ?? new Dictionary<string, string>())
            {
                context.Headers.Set(key, value);
            }
        }, cancellationToken);
    }
}
