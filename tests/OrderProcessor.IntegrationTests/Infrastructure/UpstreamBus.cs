using MassTransit;
using OrderProcessor.Infrastructure;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// An upstream system that authenticates to RabbitMQ as a user of its own (made with <see cref="IsolatedServers.CreateRabbitUserAsync"/>)
/// and publishes commands as every bus of this codebase does: with that user as the messages' <c>user_id</c>.
/// </summary>
public sealed class UpstreamBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private UpstreamBus(IBusControl bus, string username)
    {
        _bus = bus;
        Username = username;
    }

    public string Username { get; }

    public IPublishEndpoint Publisher => _bus;

    public IRequestClient<T> CreateRequestClient<T>()
        where T : class => _bus.CreateRequestClient<T>(RequestTimeout.After(s: 20));

    public static async Task<UpstreamBus> StartAsync(IsolatedServers servers, string username, string password)
    {
        var options = servers.RabbitMq;
        options.Username = username;
        options.Password = password;
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.ConnectTo(options));
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return new UpstreamBus(bus, username);
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
