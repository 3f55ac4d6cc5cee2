using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;

namespace OrderProcessor.Consumers;

/// <summary>The ResumeTrading endpoint: see <see cref="OrderEndpointPolicy"/> (partitioned by the command's id).</summary>
public sealed class ResumeTradingConsumerDefinition : ConsumerDefinition<ResumeTradingConsumer>
{
    private readonly ConsumerOptions _options;

    public ResumeTradingConsumerDefinition(IOptions<ConsumerOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ResumeTradingConsumer> consumerConfigurator, IRegistrationContext context) =>
        OrderEndpointPolicy.Apply<ResumeTradingConsumer, ResumeTrading>(endpointConfigurator, consumerConfigurator, _options, m => m.ResumeId, UnboundCommandRoute.ResumeTrading, context);
}
