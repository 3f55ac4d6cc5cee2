using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Deployment;

/// <summary>
/// The built host started as a container starts it: its address only from <c>ASPNETCORE_URLS</c>, its settings from the
/// environment or from secret files, nothing else; health, readiness and metrics answer at that address, and the
/// images' HEALTHCHECK probe passes while it runs and fails once it is gone.
/// </summary>
public sealed class When_the_host_is_deployed(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();
    private SimulatorUnderTest _simulator = null!;

    public async Task InitializeAsync()
    {
        await _servers.InitializeAsync();
        _simulator = new SimulatorUnderTest(overTcp: true);
    }

    /// <summary>What a deployment gives the processor: the servers, the partner and IBKR, and nothing about where it listens.</summary>
    private Dictionary<string, string?> Settings(int port)
    {
        var settings = new Dictionary<string, string?>(SimulatorUnderTest.ProcessorSettings())
        {
            ["Brokerage:PiTrade:BaseUrl"] = _simulator.BaseAddress!.ToString(),
            ["Brokerage:Ibkr:BaseUrl"] = new Uri(_simulator.BaseAddress, "v1/api/").ToString(),
            ["ConnectionStrings:OrderProcessor"] = _servers.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ORDERPROCESSOR_SECRETS_DIR"] = Path.Combine(Path.GetTempPath(), "no-secrets-" + Guid.NewGuid().ToString("N")),
        };
        foreach (var (key, value) in _servers.RabbitMqSettings())
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Should_stop_at_start_naming_the_migrations_its_database_lacks()
    {
        var settings = Settings(HostLaunch.FreePort());
        settings["ConnectionStrings:OrderProcessor"] = await _servers.CreateEmptyDatabaseAsync();

        await using var host = HostLaunch.Start(settings);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(90));
        var log = string.Join('\n', host.Output);
        output.WriteLine($"an empty database, Database:MigrateOnStart not set: exit code {exitCode}; the host wrote:\n{log}");

        await using var db = _servers.CreateDbContext();
        var newest = db.Database.GetMigrations().Last();
        Assert.Equal(78, exitCode);
        Assert.Contains("cannot start: the database lacks", log, StringComparison.Ordinal);
        Assert.Contains(newest, log, StringComparison.Ordinal);
        Assert.Contains("orders db migrate", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_stop_at_start_saying_why_when_its_database_does_not_exist()
    {
        var settings = Settings(HostLaunch.FreePort());
        settings["ConnectionStrings:OrderProcessor"] = new Npgsql.NpgsqlConnectionStringBuilder(_servers.ConnectionString) { Database = "op_never_created" }.ConnectionString;

        await using var host = HostLaunch.Start(settings);
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(90));
        var log = string.Join('\n', host.Output);
        output.WriteLine($"a database that does not exist: exit code {exitCode}; the host wrote:\n{log}");

        Assert.Equal(75, exitCode);
        Assert.Contains("cannot start: the database could not be reached within 10 s to check its schema", log, StringComparison.Ordinal);
        Assert.Contains("op_never_created", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")] // its default address is used only when nothing names one
    public async Task Should_listen_where_ASPNETCORE_URLS_says_and_answer_health_and_metrics_there(string environment)
    {
        var port = HostLaunch.FreePort();
        var settings = Settings(port);
        settings["ASPNETCORE_ENVIRONMENT"] = environment;
        var live = new Uri($"http://127.0.0.1:{port}/health/live");

        await using var host = HostLaunch.Start(settings);
        var startedIn = await host.WaitUntilAnswersAsync(live, TimeSpan.FromSeconds(90));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var metrics = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        output.WriteLine($"{environment}, ASPNETCORE_URLS=http://127.0.0.1:{port}: /health/live answered 200 after {startedIn.TotalSeconds:F1} s; /metrics {(int)metrics.StatusCode}");
        output.WriteLine(string.Join('\n', host.Output.Where(l => l.Contains("listening", StringComparison.OrdinalIgnoreCase))));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains(host.Output, l => l.Contains($"Now listening on: http://127.0.0.1:{port}", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Output, l => l.Contains(":5180", StringComparison.Ordinal));

        // Docker's HEALTHCHECK: the probe finds the address as the server does, a wildcard one on loopback.
        var probeEnvironment = new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{port}" };
        var clock = Stopwatch.StartNew();
        var (running, runningOutput) = await HostLaunch.ProbeAsync(probeEnvironment, "/health/live");
        output.WriteLine($"probe while running: exit {running} in {clock.Elapsed.TotalSeconds:F1} s: {runningOutput}");
        Assert.Equal(0, running);

        await host.DisposeAsync();
        var (stopped, stoppedOutput) = await HostLaunch.ProbeAsync(probeEnvironment);
        output.WriteLine($"probe once stopped: exit {stopped}: {stoppedOutput}");
        Assert.Equal(1, stopped);
    }

    [Fact]
    public async Task Should_take_the_connection_string_and_the_partner_key_from_secret_files()
    {
        var port = HostLaunch.FreePort();
        var settings = Settings(port);
        var secrets = Directory.CreateTempSubdirectory("orderprocessor-secrets-");
        try
        {
            // As Docker writes them to /run/secrets: one file per key, named as the environment variable, with the
            // trailing newline an editor or `echo` leaves.
            await File.WriteAllTextAsync(Path.Combine(secrets.FullName, "ConnectionStrings__OrderProcessor"), settings["ConnectionStrings:OrderProcessor"] + "\n");
            await File.WriteAllTextAsync(Path.Combine(secrets.FullName, "Brokerage__PiTrade__ApiKey"), settings["Brokerage:PiTrade:ApiKey"] + "\n");
            // The provider the host adds drops that newline (a key with it would sign the partner JWT wrongly).
            var fromFiles = new ConfigurationBuilder().AddKeyPerFile(secrets.FullName, optional: false).Build();
            Assert.Equal(settings["Brokerage:PiTrade:ApiKey"], fromFiles["Brokerage:PiTrade:ApiKey"]);
            settings.Remove("ConnectionStrings:OrderProcessor");
            settings.Remove("Brokerage:PiTrade:ApiKey");
            settings["ORDERPROCESSOR_SECRETS_DIR"] = secrets.FullName;

            await using var host = HostLaunch.Start(settings);
            await host.WaitUntilAnswersAsync(new Uri($"http://127.0.0.1:{port}/health/live"), TimeSpan.FromSeconds(90));

            // Readiness shows the database reached with the connection string read from the file.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var postgresql = "";
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (postgresql != "Healthy" && DateTime.UtcNow < deadline)
            {
                using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
                using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
                postgresql = report.RootElement.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString() ?? "";
                output.WriteLine($"/health/ready {(int)ready.StatusCode}: postgresql {postgresql}");
                if (postgresql != "Healthy")
                {
                    await Task.Delay(500);
                }
            }

            Assert.Equal("Healthy", postgresql);
        }
        finally
        {
            secrets.Delete(recursive: true);
        }
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await _servers.DisposeAsync();
    }
}
