using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;

namespace OrderProcessor.Consumers;

/// <summary>The PlaceOrder endpoint (<c>place-order</c>): see <see cref="OrderEndpointPolicy"/>.</summary>
public sealed class PlaceOrderConsumerDefinition : ConsumerDefinition<PlaceOrderConsumer>
{
    private readonly ConsumerOptions _options;

    public PlaceOrderConsumerDefinition(IOptions<ConsumerOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PlaceOrderConsumer> consumerConfigurator, IRegistrationContext context) =>
        OrderEndpointPolicy.Apply<PlaceOrderConsumer, PlaceOrder>(endpointConfigurator, consumerConfigurator, _options, m => m.OrderId, UnboundCommandRoute.PlaceOrder, context);
}
