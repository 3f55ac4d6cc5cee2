using System.Text;
using RabbitMQ.Client;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Publishes a hand-written MassTransit envelope straight to the command's exchange, as a system that is not written in
/// .NET would: lets tests send what a typed publisher cannot (unknown enum names, wrong JSON, garbage).
/// </summary>
public static class RawCommandPublisher
{
    /// <param name="servers">Where to publish.</param>
    /// <param name="messageType">The message type the envelope claims.</param>
    /// <param name="messageJson">The envelope's <c>message</c>, as it should appear on the wire.</param>
    /// <param name="messageId">The envelope's message id.</param>
    /// <param name="exchangeType">The contract whose exchange receives it (default: <paramref name="messageType"/>).</param>
    /// <param name="authenticated">Whether the message carries the connection's user as its <c>user_id</c>, as every upstream should.</param>
    public static async Task PublishAsync(IsolatedServers servers, string messageType, string messageJson, Guid? messageId = null, string? exchangeType = null,
        bool authenticated = true)
    {
        var envelope = $$"""
            {"messageId":"{{messageId ?? Guid.NewGuid()}}","messageType":["urn:message:OrderProcessor.Contracts:{{messageType}}"],"message":{{messageJson}}}
            """;
        await PublishBodyAsync(servers, exchangeType ?? messageType, Encoding.UTF8.GetBytes(envelope), "application/vnd.masstransit+json", authenticated);
    }

    public static async Task PublishBodyAsync(IsolatedServers servers, string messageType, byte[] body, string contentType, bool authenticated = true)
    {
        var factory = servers.RawConnectionFactory();
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        // user_id as an upstream sets it: the broker checks it against the connection's user, the processor authorizes by it.
        var properties = new BasicProperties { ContentType = contentType, Persistent = true, MessageId = Guid.NewGuid().ToString(), UserId = authenticated ? servers.Servers.RabbitUsername : null };
        await channel.BasicPublishAsync($"OrderProcessor.Contracts:{messageType}", string.Empty, mandatory: false, properties, body);
    }
}
