using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;

namespace OrderProcessor.Consumers;

/// <summary>The MarginCheck endpoint (<c>margin-check</c>): see <see cref="OrderEndpointPolicy"/>.</summary>
public sealed class MarginCheckConsumerDefinition : ConsumerDefinition<MarginCheckConsumer>
{
    private readonly ConsumerOptions _options;

    public MarginCheckConsumerDefinition(IOptions<ConsumerOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<MarginCheckConsumer> consumerConfigurator, IRegistrationContext context) =>
        OrderEndpointPolicy.Apply<MarginCheckConsumer, MarginCheck>(endpointConfigurator, consumerConfigurator, _options, m => m.CheckId, UnboundCommandRoute.MarginCheck, context);
}
