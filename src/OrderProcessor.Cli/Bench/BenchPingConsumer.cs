using MassTransit;

namespace OrderProcessor.Cli.Bench;

/// <summary>The reference consumer: command in, event out, nothing else.</summary>
public sealed class BenchPingConsumer : IConsumer<BenchPing>
{
    public Task Consume(ConsumeContext<BenchPing> context) => context.Publish(new BenchPong(context.Message.Id));
}
