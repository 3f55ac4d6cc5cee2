using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;

namespace OrderProcessor.Consumers;

/// <summary>The HaltTrading endpoint: see <see cref="OrderEndpointPolicy"/> (partitioned by the command's id).</summary>
public sealed class HaltTradingConsumerDefinition : ConsumerDefinition<HaltTradingConsumer>
{
    private readonly ConsumerOptions _options;

    public HaltTradingConsumerDefinition(IOptions<ConsumerOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<HaltTradingConsumer> consumerConfigurator, IRegistrationContext context) =>
        OrderEndpointPolicy.Apply<HaltTradingConsumer, HaltTrading>(endpointConfigurator, consumerConfigurator, _options, m => m.HaltId, UnboundCommandRoute.HaltTrading, context);
}
