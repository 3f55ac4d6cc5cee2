using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderProcessor.Brokerage.Streaming;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>The processor, hosted in the test process exactly as the real host wires it, on the isolated servers.</summary>
public sealed class ProcessorUnderTest : IAsyncDisposable
{
    private readonly IHost _host;

    private ProcessorUnderTest(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<ProcessorUnderTest> StartAsync(IsolatedServers servers, SimulatorUnderTest simulator,
        IDictionary<string, string?>? settings = null, SecretWatch? secrets = null, Func<HttpMessageHandler, HttpMessageHandler>? network = null,
        bool streaming = false)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(servers.RabbitMqSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:OrderProcessor"] = servers.ConnectionString,
            ["Outbox:PollInterval"] = "00:00:00.200",
        });
        builder.Configuration.AddInMemoryCollection(SimulatorUnderTest.ProcessorSettings());
        if (!streaming)
        {
            // Followed by polling alone, as before the websocket: a guard whose sockets can reach nothing would still
            // spend a tickle and a pacing slot on every connect attempt, which tests counting IBKR requests would see.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Brokerage:Stream:Enabled"] = "false" });
        }

        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Information);
        if (secrets is not null)
        {
            builder.Logging.AddProvider(secrets.CreateLoggerProvider());
        }

        if (streaming)
        {
            // The guard's websocket reaches the in-process simulator (registered first: the guard only TryAdds its own).
            builder.Services.AddSingleton<IWebSocketConnector>(new TestServerWebSocketConnector(simulator.Server));
        }

        builder.Services.AddOrderProcessor(builder.Configuration);
        builder.Services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() =>
        {
            var handler = network is null ? simulator.CreateHandler() : network(simulator.CreateHandler());
            return secrets is null ? handler : secrets.CreateRecordingHandler(handler);
        }));
        var host = builder.Build();
        await host.StartAsync();
        return new ProcessorUnderTest(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
