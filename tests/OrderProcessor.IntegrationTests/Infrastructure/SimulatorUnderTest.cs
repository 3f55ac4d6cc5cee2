using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Simulator.Control;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// The PiTrade + IBKR simulator in the test process, with IBKR's pacing shortened so tests run in seconds. The processor
/// reaches it through its HTTP handler, exactly as it would reach IBKR over the network.
/// </summary>
public sealed class SimulatorUnderTest : IAsyncDisposable
{
    public const string ClientId = "orderprocessor-dev";
    public const string ApiKey = "dev-only-partner-api-key-change-me-0123456789";

    /// <summary>Users the tests trade for, with their IBKR accounts.</summary>
    public static readonly IReadOnlyDictionary<string, string> Accounts = new Dictionary<string, string>
    {
        ["alice"] = "DU1234567",
        ["bob"] = "DU2345678",
        ["carol"] = "DU3456789",
        ["dave"] = "DU4567890",
        ["erin"] = "DU5678901",
    };

    private readonly WebApplicationFactory<SimulatorControl> _factory;

    /// <param name="settings">Simulator settings over the test defaults.</param>
    /// <param name="overTcp">Listen on a loopback port (for a processor in another process) instead of in memory only.</param>
    public SimulatorUnderTest(IDictionary<string, string?>? settings = null, bool overTcp = false)
    {
        _factory = new WebApplicationFactory<SimulatorControl>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Simulator:MarketTickInterval", "00:00:00.050");
            web.UseSetting("Simulator:LiveOrdersMinInterval", "00:00:00.200");
            web.UseSetting("Simulator:PartnerClientId", ClientId);
            web.UseSetting("Simulator:PartnerApiKey", ApiKey);
            foreach (var (user, account) in Accounts)
            {
                web.UseSetting($"Simulator:Users:{user}:0", account);
            }

            if (overTcp)
            {
                web.UseSetting("urls", "http://127.0.0.1:0");
            }

            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                web.UseSetting(key, value);
            }
        });
        if (overTcp)
        {
            _factory.UseKestrel(0);
            _factory.StartServer();
            var addresses = _factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            var port = new Uri(addresses.First()).Port;
            BaseAddress = new Uri($"http://127.0.0.1:{port}/");
            using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            probe.GetAsync("__sim/stats").GetAwaiter().GetResult().EnsureSuccessStatusCode();
        }
        else
        {
            _ = _factory.Server;
        }
    }

    /// <summary>Where a processor in another process reaches the simulator (only with <c>overTcp</c>).</summary>
    public Uri? BaseAddress { get; }


    public SimulatorControl Control => _factory.Services.GetRequiredService<SimulatorControl>();

    public HttpMessageHandler CreateHandler() => _factory.Server.CreateHandler();

    /// <summary>The in-memory server, for the guard's websocket (<c>TestServer.CreateWebSocketClient()</c>).</summary>
    public Microsoft.AspNetCore.TestHost.TestServer Server => _factory.Server;

    /// <summary>A client of the simulator's control API, as the demo uses it over HTTP.</summary>
    public HttpClient CreateClient() => _factory.CreateClient();

    /// <summary>The processor's settings that point the guard at this simulator with matching pacing.</summary>
    public static Dictionary<string, string?> ProcessorSettings() => new()
    {
        ["Brokerage:PiTrade:BaseUrl"] = "http://localhost/",
        ["Brokerage:PiTrade:ClientId"] = ClientId,
        ["Brokerage:PiTrade:ApiKey"] = ApiKey,
        ["Brokerage:Ibkr:BaseUrl"] = "http://localhost/v1/api/",
        // The simulator answers over http; the processor runs as Production in tests, where https is required otherwise.
        ["Brokerage:AllowInsecureHttp"] = "true",
        ["Brokerage:Pacing:LiveOrdersInterval"] = "00:00:00.200",
        // Tests work limit orders far from the market on purpose, so the price-deviation question (o163) is allowed too.
        ["Brokerage:Questions:AllowedIds:0"] = "o10151",
        ["Brokerage:Questions:AllowedIds:1"] = "o10152",
        ["Brokerage:Questions:AllowedIds:2"] = "o354",
        ["Brokerage:Questions:AllowedIds:3"] = "o382",
        ["Brokerage:Questions:AllowedIds:4"] = "o403",
        ["Brokerage:Questions:AllowedIds:5"] = "o163",
        ["Brokerage:Questions:AllowedIds:6"] = "o10223",
        // The tests run on the wall clock: IBKR's scheduled windows (00:55 New York, Saturday nights) would hold their
        // orders at those hours. The maintenance tests turn availability on with a schedule of their own.
        ["Brokerage:Maintenance:Enabled"] = "false",
        ["Lifecycle:StatusPollInterval"] = "00:00:00.250",
        ["Lifecycle:ReconcileInterval"] = "00:00:00.300",
        ["Lifecycle:RetryDelay"] = "00:00:00.100",
        ["Lifecycle:MaxRetryDelay"] = "00:00:01",
        ["Lifecycle:WorkPollInterval"] = "00:00:00.100",
        // Tests publish bursts of hundreds of orders on one account, contract and side (TestOrders: DU1234567, conid
        // 265598, BUY), far above the production rates (10/s per account) and IBKR's 20 working orders; they are about
        // other things. The controls still run on every order (locks, limits read, counts, buckets) at these ceilings;
        // the Risk tests set their own limits.
        ["Risk:MaxOrdersPerSecondPerAccount"] = "100000",
        ["Risk:MaxOrdersPerMinutePerAccount"] = "1000000",
        ["Risk:MaxOrdersPerSecondPerUser"] = "100000",
        ["Risk:MaxOrdersPerMinutePerUser"] = "1000000",
        ["Risk:MaxWorkingOrdersPerContractSide"] = "10000",
    };

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
