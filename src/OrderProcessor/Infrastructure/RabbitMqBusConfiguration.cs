using MassTransit;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;

namespace OrderProcessor.Infrastructure;

/// <summary>
/// How every bus of this codebase (the processor's, the CLI's) reaches RabbitMQ and declares its durable queues, from
/// <see cref="RabbitMqOptions"/>: one node or a cluster, publisher confirms on, quorum or classic queues.
/// </summary>
public static class RabbitMqBusConfiguration
{
    /// <summary>
    /// Connects to the broker. A cluster's nodes are tried in the configured order; when the connection's node goes
    /// away MassTransit reconnects to the next one that answers, and the receive endpoints resume there.
    /// </summary>
    public static void ConnectTo(this IRabbitMqBusFactoryConfigurator rabbit, RabbitMqOptions options, Action<IRabbitMqHostConfigurator>? configure = null)
    {
        var endpoints = options.Endpoints();
        var (host, port) = endpoints[0];
        rabbit.Host(host, (ushort)port, options.VirtualHost, h =>
        {
            h.Username(options.Username);
            h.Password(options.Password);

            // A publish returns only once the broker has the message (on a quorum queue: once a majority of its
            // replicas have it); the outbox marks a row published only after that.
            h.PublisherConfirmation = true;
            if (endpoints.Count > 1)
            {
                h.UseCluster(cluster =>
                {
                    foreach (var (nodeHost, nodePort) in endpoints)
                    {
                        cluster.Node($"{nodeHost}:{nodePort}");
                    }
                });
            }

            configure?.Invoke(h);
        });

        // Every message carries the RabbitMQ user it is published with (AMQP user_id): the broker refuses a publish
        // whose user_id is not the connection's user, so the processor can trust it as the upstream's identity
        // (see Upstreams/UpstreamAuthorization). An upstream written without this codebase sets the property itself.
        // Decimals read only as the contract says (MassTransit's default also reads "1,5" as 15); written as before.
        rabbit.ConfigureJsonSerializerOptions(StrictDecimalJsonConverter.ReadStrictly);

        rabbit.ConfigureSend(send => send.UseExecute(context => StampUser(context, options.Username)));
        rabbit.ConfigurePublish(publish => publish.UseExecute(context => StampUser(context, options.Username)));
    }

    private static void StampUser(SendContext context, string username)
    {
        if (context.TryGetPayload(out RabbitMqSendContext? rabbit) && !string.IsNullOrEmpty(username))
        {
            rabbit.BasicProperties.UserId = username;
        }
    }

    /// <summary>Declares a durable receive endpoint's queue with the configured type.</summary>
    public static void UseConfiguredQueueType(this IRabbitMqReceiveEndpointConfigurator endpoint, RabbitMqOptions options)
    {
        if (options.QueueType == RabbitMqQueueType.Quorum)
        {
            endpoint.SetQuorumQueue();
        }
    }
}
