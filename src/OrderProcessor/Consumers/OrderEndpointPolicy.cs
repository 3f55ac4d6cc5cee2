using MassTransit;
using OrderProcessor.Configuration;

namespace OrderProcessor.Consumers;

/// <summary>
/// The endpoint policy of every command consumer: prefetch and concurrency sized for the database pool, the shared
/// database retry policy, and partitioning by order id so two commands about one order never race.
/// </summary>
public static class OrderEndpointPolicy
{
    public static void Apply<TConsumer, TMessage>(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer,
        ConsumerOptions options, Func<TMessage, Guid> orderId)
        where TConsumer : class, IConsumer<TMessage>
        where TMessage : class
    {
        endpoint.PrefetchCount = options.PrefetchCount;
        endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
        endpoint.UseDatabaseRetry();
        var partitioner = endpoint.CreatePartitioner(options.PartitionCount);
        consumer.Message<TMessage>(message => message.UsePartitioner(partitioner, m => orderId(m.Message)));
    }
}
