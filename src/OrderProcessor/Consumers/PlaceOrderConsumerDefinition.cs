using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;

namespace OrderProcessor.Consumers;

/// <summary>
/// The PlaceOrder endpoint's policy: partitioned by order id, bounded concurrency, retries for database conflicts and
/// outages. Messages that cannot be read at all fault to the <c>_error</c> queue; nothing else does.
/// </summary>
public sealed class PlaceOrderConsumerDefinition : ConsumerDefinition<PlaceOrderConsumer>
{
    private readonly ConsumerOptions _options;

    public PlaceOrderConsumerDefinition(IOptions<ConsumerOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PlaceOrderConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _options.PrefetchCount;
        endpointConfigurator.UseDatabaseRetry();
        var partitioner = endpointConfigurator.CreatePartitioner(_options.PartitionCount);
        consumerConfigurator.Message<PlaceOrder>(message => message.UsePartitioner(partitioner, m => m.Message.OrderId));
    }
}
