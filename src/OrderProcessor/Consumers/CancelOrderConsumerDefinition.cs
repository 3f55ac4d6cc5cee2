using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;

namespace OrderProcessor.Consumers;

/// <summary>The CancelOrder endpoint (<c>cancel-order</c>): see <see cref="OrderEndpointPolicy"/>.</summary>
public sealed class CancelOrderConsumerDefinition : ConsumerDefinition<CancelOrderConsumer>
{
    private readonly ConsumerOptions _options;

    public CancelOrderConsumerDefinition(IOptions<ConsumerOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CancelOrderConsumer> consumerConfigurator, IRegistrationContext context) =>
        OrderEndpointPolicy.Apply<CancelOrderConsumer, CancelOrder>(endpointConfigurator, consumerConfigurator, _options, m => m.OrderId, UnboundCommandRoute.CancelOrder, context);
}
