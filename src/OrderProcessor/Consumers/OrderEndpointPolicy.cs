using MassTransit;
using MassTransit.Configuration;
using OrderProcessor.Configuration;

namespace OrderProcessor.Consumers;

/// <summary>
/// The endpoint policy of every command consumer: prefetch and concurrency sized for the database pool, the shared
/// database retry policy, the answer to a command that does not bind (<see cref="UnboundCommandFilter{TCommand}"/>), and
/// partitioning by order id so two commands about one
/// order never race.
/// </summary>
public static class OrderEndpointPolicy
{
    public static void Apply<TConsumer, TMessage>(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer,
        ConsumerOptions options, Func<TMessage, Guid> orderId, UnboundCommandRoute unbound, IServiceProvider services)
        where TConsumer : class, IConsumer<TMessage>
        where TMessage : class, new()
    {
        endpoint.PrefetchCount = options.PrefetchCount;
        endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
        endpoint.UseDatabaseRetry();

        // Before MassTransit dispatches by message type: that dispatch is where a message that does not bind throws.
        endpoint.AddPrePipeSpecification(new FilterPipeSpecification<ConsumeContext>(new UnboundCommandFilter<TMessage>(
            services.GetRequiredService<ConsumerUnitOfWork>(), unbound, services.GetRequiredService<ILogger<UnboundCommandFilter<TMessage>>>())));
        var partitioner = endpoint.CreatePartitioner(options.PartitionCount);
        consumer.Message<TMessage>(message => message.UsePartitioner(partitioner, m => orderId(m.Message)));
    }
}
