using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>
/// The guard as the service will host it, talking to an in-process simulator. Captures every log record (Trace and up)
/// and every request; on dispose it fails the test if any secret (apiKey, partner JWT, bearer token) shows up in a log.
/// </summary>
internal sealed partial class GuardHost : IAsyncDisposable
{
    private readonly IHost _host;

    private GuardHost(IHost host, ConcurrentQueue<CapturedRequest> requests, string apiKey)
    {
        _host = host;
        Requests = requests;
        ApiKey = apiKey;
    }

    public ConcurrentQueue<CapturedRequest> Requests { get; }

    public string ApiKey { get; }

    public IServiceProvider Services => _host.Services;

    public IBrokerageGateway Gateway => Services.GetRequiredService<IBrokerageGateway>();

    public IBrokerageSessionMonitor Sessions => Services.GetRequiredService<IBrokerageSessionMonitor>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["Brokerage:PiTrade:BaseUrl"] = "http://localhost/",
        ["Brokerage:PiTrade:ClientId"] = SimulatorServer.ClientId,
        ["Brokerage:PiTrade:ApiKey"] = SimulatorServer.ApiKey,
        ["Brokerage:Ibkr:BaseUrl"] = "http://localhost/v1/api",
        ["Brokerage:AllowInsecureHttp"] = "true",
        ["Brokerage:Session:TickleEnabled"] = "false",
        ["Brokerage:Resilience:RetryBaseDelay"] = "00:00:00.020",
        // The tests run on the wall clock: IBKR's scheduled windows (00:55 New York, Saturday nights) would hold their
        // calls at those hours. Availability is tested where it is the subject (Brokerage:Maintenance:Enabled=true there).
        ["Brokerage:Maintenance:Enabled"] = "false",
    };

    public static async Task<GuardHost> StartAsync(
        SimulatorServer simulator,
        Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        var settings = DefaultSettings();
        configure?.Invoke(settings);
        var requests = new ConcurrentQueue<CapturedRequest>();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFakeLogging();
        builder.Services.AddBrokerageGuard(builder.Configuration.GetSection("Brokerage"));
        builder.Services.ConfigureHttpClientDefaults(client =>
            client.ConfigurePrimaryHttpMessageHandler(() => new CapturingHandler(requests, simulator.Server.CreateHandler())));
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new GuardHost(host, requests, settings["Brokerage:PiTrade:ApiKey"] ?? string.Empty);
    }

    /// <summary>Every secret value this host used: the apiKey and each partner JWT and bearer token it sent.</summary>
    public IReadOnlyCollection<string> Secrets()
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        if (ApiKey.Length > 0)
        {
            secrets.Add(ApiKey);
        }

        foreach (var request in Requests)
        {
            if (request.BearerValue is { Length: > 8 } value)
            {
                secrets.Add(value);
            }
        }

        return secrets;
    }

    /// <summary>Fails when any secret appears in <paramref name="text"/>, or anything shaped like a JWT does.</summary>
    public void AssertNoSecretIn(string? text, string where)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        foreach (var secret in Secrets())
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"A secret value appeared in {where}.");
        }

        Assert.False(JwtShape().IsMatch(text), $"A JWT-shaped value appeared in {where}.");
    }

    public void AssertNoSecretsLogged()
    {
        foreach (var record in Logs.GetSnapshot())
        {
            AssertNoSecretIn(record.Message, $"log message of {record.Category}");
            AssertNoSecretIn(record.Exception?.ToString(), $"logged exception of {record.Category}");
            foreach (var pair in record.StructuredState ?? [])
            {
                AssertNoSecretIn(pair.Value, $"log state {pair.Key} of {record.Category}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
            AssertNoSecretsLogged();
        }
        finally
        {
            _host.Dispose();
        }
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+")]
    private static partial Regex JwtShape();
}
