using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;

namespace OrderProcessor.Consumers;

/// <summary>The ModifyOrder endpoint (<c>modify-order</c>): see <see cref="OrderEndpointPolicy"/>.</summary>
public sealed class ModifyOrderConsumerDefinition : ConsumerDefinition<ModifyOrderConsumer>
{
    private readonly ConsumerOptions _options;

    public ModifyOrderConsumerDefinition(IOptions<ConsumerOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ModifyOrderConsumer> consumerConfigurator, IRegistrationContext context) =>
        OrderEndpointPolicy.Apply<ModifyOrderConsumer, ModifyOrder>(endpointConfigurator, consumerConfigurator, _options, m => m.OrderId, UnboundCommandRoute.ModifyOrder, context);
}
