using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderProcessor.Simulator.Control;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>The PiTrade + IBKR simulator in process, with per-test settings (keys of the "Simulator" section).</summary>
internal sealed class SimulatorServer : WebApplicationFactory<Program>
{
    public const string ClientId = "orderprocessor-dev";
    public const string ApiKey = "dev-only-partner-api-key-change-me-0123456789";

    private readonly Dictionary<string, string?> _settings;

    public SimulatorServer(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Simulator:PartnerClientId"] = ClientId,
            ["Simulator:PartnerApiKey"] = ApiKey,
            ["Simulator:FirstLiveOrdersCallEmpty"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings["Simulator:" + key] = value;
        }
    }

    public SimulatorControl Control => Services.GetRequiredService<SimulatorControl>();

    /// <summary>IBKR-side requests (under /v1/api) the simulator saw for a user.</summary>
    public IReadOnlyList<RequestLogEntry> IbkrRequestsOf(string userId) =>
        [.. Control.Requests().Where(r => r.UserId == userId && r.Path.StartsWith("/v1/api", StringComparison.Ordinal))];

    public int CountOf(string userId, string method, string pathSuffix) =>
        Control.Requests().Count(r => r.UserId == userId && r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal));

    /// <summary>
    /// <see cref="CountOf"/> once the simulator has recorded what it received: a request whose connection it aborted
    /// is recorded after the client has already seen the abort. Waits (at most 2 s) for <paramref name="atLeast"/>.
    /// </summary>
    public async Task<int> RecordedCountOf(string userId, string method, string pathSuffix, int atLeast)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); CountOf(userId, method, pathSuffix) < atLeast && waited.Elapsed < TimeSpan.FromSeconds(2);)
        {
            await Task.Delay(20);
        }

        return CountOf(userId, method, pathSuffix);
    }

    public int TokenRequestsOf(string userId) =>
        Control.Requests().Count(r => r.UserId == userId && r.Path.EndsWith("/brokerage-bearer-token", StringComparison.Ordinal));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }
}
