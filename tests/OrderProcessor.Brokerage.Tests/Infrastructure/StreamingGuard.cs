using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Brokerage.Streaming;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>A guard whose order streams connect to the in-process simulator's <c>/v1/api/ws</c>, with a recording observer.</summary>
internal sealed class StreamingGuard : IAsyncDisposable
{
    private StreamingGuard(GuardHost host, RecordingStreamObserver observer, TestServerWebSocketConnector connector, SwitchableAuthority authority)
    {
        Host = host;
        Observer = observer;
        Connector = connector;
        Authority = authority;
    }

    public GuardHost Host { get; }

    public RecordingStreamObserver Observer { get; }

    public TestServerWebSocketConnector Connector { get; }

    public SwitchableAuthority Authority { get; }

    public IOrderStreams Streams => Host.Services.GetRequiredService<IOrderStreams>();

    internal BrokerageSessionManager Sessions => Host.Services.GetRequiredService<BrokerageSessionManager>();

    /// <summary>Fast settings for tests: 1 s heartbeat timeout, 2 s success timeout, quick reconnects (override in <paramref name="configure"/>).</summary>
    public static async Task<StreamingGuard> StartAsync(SimulatorServer simulator, Action<Dictionary<string, string?>>? configure = null)
    {
        var observer = new RecordingStreamObserver();
        var connector = new TestServerWebSocketConnector(simulator.Server);
        var authority = new SwitchableAuthority();
        var host = await GuardHost.StartAsync(simulator, settings =>
        {
            settings["Brokerage:Stream:HeartbeatTimeout"] = "00:00:01";
            settings["Brokerage:Stream:ReconnectBaseDelay"] = "00:00:00.100";
            settings["Brokerage:Stream:ReconnectMaxDelay"] = "00:00:00.500";
            settings["Brokerage:Stream:IdleCloseAfter"] = "00:00:01";
            settings["Brokerage:Stream:SuccessTimeout"] = "00:00:02";
            configure?.Invoke(settings);
        }, services =>
        {
            services.RemoveAll<IWebSocketConnector>();
            services.AddSingleton<IWebSocketConnector>(connector);
            services.RemoveAll<IOrderStreamObserver>();
            services.AddSingleton<IOrderStreamObserver>(observer);
            services.RemoveAll<IUserSessionAuthority>();
            services.AddSingleton<IUserSessionAuthority>(authority);
        });
        return new StreamingGuard(host, observer, connector, authority);
    }

    /// <summary>Simulator settings for the stream tests: heartbeats every 200 ms (the guard's timeout is 1 s).</summary>
    public static Dictionary<string, string?> FastSimulator() => new()
    {
        ["Stream:HeartbeatInterval"] = "00:00:00.200",
        ["FillMarketOrdersOnAccept"] = "true",
    };

    public Task<TimeSpan?> WaitForState(string userId, OrderStreamState state, TimeSpan within) =>
        RecordingStreamObserver.WaitFor(() => Streams.StateOf(userId) == state, within);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
