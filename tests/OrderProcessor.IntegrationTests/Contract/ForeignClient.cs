using System.Text;
using OrderProcessor.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace OrderProcessor.IntegrationTests.Contract;

/// <summary>
/// A client that knows the processor only from <c>contracts/</c> and the README's integrating section, as a Python
/// (pika) program would: it writes the MassTransit envelope as text and publishes it with the AMQP basic properties
/// (content_type, delivery_mode, user_id) to the command's fanout exchange, and reads replies from a queue it declares.
/// </summary>
public sealed class ForeignClient(IsolatedServers servers) : IAsyncDisposable
{
    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>Publishes <paramref name="messageText"/> (the envelope's <c>message</c>, as raw text) as a <paramref name="command"/>.</summary>
    public async Task PublishAsync(string command, string messageText, Guid messageId, Uri? responseAddress = null, Guid? requestId = null)
    {
        var envelope = new StringBuilder()
            .Append("{\"messageId\":\"").Append(messageId).Append('"')
            .Append(",\"messageType\":[\"urn:message:OrderProcessor.Contracts:").Append(command).Append("\"]");
        if (responseAddress is not null)
        {
            envelope.Append(",\"responseAddress\":\"").Append(responseAddress).Append("\",\"requestId\":\"").Append(requestId).Append('"');
        }

        envelope.Append(",\"message\":").Append(messageText).Append('}');
        var channel = await ChannelAsync();
        var properties = new BasicProperties
        {
            ContentType = "application/vnd.masstransit+json",
            DeliveryMode = DeliveryModes.Persistent,
            UserId = servers.Servers.RabbitUsername,
        };
        await channel.BasicPublishAsync($"OrderProcessor.Contracts:{command}", string.Empty, mandatory: false, properties,
            Encoding.UTF8.GetBytes(envelope.ToString()));
    }

    /// <summary>
    /// A reply queue of the client's own, as a MassTransit requester's temporary endpoint: a non-durable, auto-delete
    /// fanout exchange and queue of one name; its address is what a request's <c>responseAddress</c> carries.
    /// </summary>
    public async Task<(Uri Address, Func<TimeSpan, Task<string?>> NextAsync)> ReplyQueueAsync()
    {
        var name = "foreign-replies-" + Guid.NewGuid().ToString("N")[..12];
        var channel = await ChannelAsync();
        await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: false, autoDelete: true);
        await channel.QueueDeclareAsync(name, durable: false, exclusive: false, autoDelete: true);
        await channel.QueueBindAsync(name, name, string.Empty);
        var address = new Uri($"rabbitmq://{servers.Servers.RabbitHost}:{servers.Servers.RabbitPort}/{servers.VirtualHost}/{name}?temporary=true");
        return (address, async timeout =>
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var message = await channel.BasicGetAsync(name, autoAck: true);
                if (message is not null)
                {
                    return Encoding.UTF8.GetString(message.Body.Span);
                }

                await Task.Delay(100);
            }

            return null;
        }
        );
    }

    private async Task<IChannel> ChannelAsync()
    {
        if (_channel is not null)
        {
            return _channel;
        }

        var factory = servers.RawConnectionFactory();
        _connection = await factory.CreateConnectionAsync();
        _channel = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return _channel;
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
