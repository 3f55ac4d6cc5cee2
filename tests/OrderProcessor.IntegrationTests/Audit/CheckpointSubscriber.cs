using System.Collections.Concurrent;
using MassTransit;
using OrderProcessor.Audit;
using OrderProcessor.Audit.Checkpoints;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Audit;

/// <summary>An auditor's queue bound to the audit fanout exchange, recording the signed checkpoints that arrive there.</summary>
public sealed class CheckpointSubscriber : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<AuditCheckpoint> _received;

    private CheckpointSubscriber(IBusControl bus, ConcurrentQueue<AuditCheckpoint> received) => (_bus, _received) = (bus, received);

    public IReadOnlyCollection<AuditCheckpoint> Received => _received;

    public static async Task<CheckpointSubscriber> StartAsync(IsolatedServers servers)
    {
        var received = new ConcurrentQueue<AuditCheckpoint>();
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(servers.Servers.RabbitHost, (ushort)servers.Servers.RabbitPort, servers.VirtualHost, host =>
            {
                host.Username(servers.Servers.RabbitUsername);
                host.Password(servers.Servers.RabbitPassword);
            });
            rabbit.ReceiveEndpoint("checkpoint-subscriber", endpoint =>
            {
                endpoint.ConfigureConsumeTopology = false;
                endpoint.Bind(OutboxReplayer.DefaultExchange, bind => bind.ExchangeType = "fanout");
                endpoint.Handler<AuditCheckpoint>(context =>
                {
                    received.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(timeout.Token);
        return new CheckpointSubscriber(bus, received);
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
