using System.Text.Json;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Deployment;

/// <summary>
/// A deployment that forgets a setting stops at start naming it, instead of quietly using a developer's local server:
/// the host's developer defaults exist only in the Development environment. Nothing here connects anywhere (the host
/// stops before it would), so no server is needed.
/// </summary>
public sealed class When_the_host_misses_a_setting(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(60);

    /// <summary>Every setting a Production host needs, none of them pointing at anything that answers.</summary>
    private static Dictionary<string, string?> Complete() => new()
    {
        ["ConnectionStrings:OrderProcessor"] = "Host=127.0.0.1;Port=1;Username=u;Password=p;Database=d",
        ["RabbitMq:Host"] = "127.0.0.1",
        ["RabbitMq:Port"] = "1",
        ["RabbitMq:Username"] = "u",
        ["RabbitMq:Password"] = "p",
        ["Brokerage:PiTrade:BaseUrl"] = "https://pitrade.invalid/",
        ["Brokerage:PiTrade:ClientId"] = "partner",
        ["Brokerage:PiTrade:ApiKey"] = "a-partner-secret-of-at-least-thirty-two-characters",
        ["Brokerage:Ibkr:BaseUrl"] = "https://ibkr.invalid/v1/api/",
        ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        ["ORDERPROCESSOR_SECRETS_DIR"] = Path.Combine(Path.GetTempPath(), "no-secrets-" + Guid.NewGuid().ToString("N")),
    };

    [Theory]
    [InlineData("ConnectionStrings:OrderProcessor", "ConnectionStrings:OrderProcessor is required")]
    [InlineData("RabbitMq:Host", "RabbitMq:Host is required")]
    [InlineData("RabbitMq:Username", "RabbitMq:Username is required")]
    [InlineData("RabbitMq:Password", "RabbitMq:Password is required")]
    [InlineData("Brokerage:PiTrade:ApiKey", "Brokerage__PiTrade__ApiKey is missing")]
    [InlineData("Brokerage:PiTrade:BaseUrl", "Brokerage__PiTrade__BaseUrl is missing")]
    public async Task Should_stop_at_start_in_production_naming_the_missing_key(string missing, string named)
    {
        var settings = Complete();
        settings.Remove(missing);

        await using var host = HostLaunch.Start(settings);
        var exitCode = await host.WaitForExitAsync(ExitWithin);
        var log = string.Join('\n', host.Output);
        output.WriteLine($"without {missing}: exit code {exitCode}; the host wrote:\n{log}");

        Assert.Equal(78, exitCode);
        Assert.Contains("cannot start in the Production environment: 1 setting(s) missing or wrong", log, StringComparison.Ordinal);
        Assert.Contains(named, log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Lifecycle:DrainTimeout", "System.TimeSpan")]
    [InlineData("Outbox:PublishTimeout", "System.TimeSpan")]
    [InlineData("RabbitMq:Port", "System.Int32")]
    public async Task Should_stop_at_start_naming_a_key_whose_value_cannot_be_converted(string key, string type)
    {
        var settings = Complete();
        settings[key] = "not-a-value-abc";

        await using var host = HostLaunch.Start(settings);
        var exitCode = await host.WaitForExitAsync(ExitWithin);
        var log = string.Join('\n', host.Output);
        output.WriteLine($"{key}=not-a-value-abc: exit code {exitCode}; the host wrote:\n{log}");

        Assert.Equal(78, exitCode);
        Assert.Contains("cannot start in the Production environment: 1 setting(s) missing or wrong", log, StringComparison.Ordinal);
        Assert.Contains($"{key} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}) is not a valid {type}", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", log, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-value-abc", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_name_every_missing_key_at_once()
    {
        await using var host = HostLaunch.Start(new Dictionary<string, string?> { ["ORDERPROCESSOR_SECRETS_DIR"] = Complete()["ORDERPROCESSOR_SECRETS_DIR"] });
        var exitCode = await host.WaitForExitAsync(ExitWithin);
        var log = string.Join('\n', host.Output);
        output.WriteLine($"nothing set: exit code {exitCode}; the host wrote:\n{log}");

        Assert.Equal(78, exitCode);
        foreach (var key in new[] { "ConnectionStrings:OrderProcessor", "RabbitMq:Host", "RabbitMq:Username", "RabbitMq:Password",
                     "Brokerage__PiTrade__BaseUrl", "Brokerage__PiTrade__ClientId", "Brokerage__PiTrade__ApiKey", "Brokerage__Ibkr__BaseUrl" })
        {
            Assert.Contains(key, log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_use_the_developer_defaults_only_in_development()
    {
        // No setting at all: Development fills in the local servers, the simulator and the client id, never a secret,
        // so the one thing left to name is the partner key (and the host stops before connecting to anything).
        await using var host = HostLaunch.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ORDERPROCESSOR_SECRETS_DIR"] = Complete()["ORDERPROCESSOR_SECRETS_DIR"],
        });
        var exitCode = await host.WaitForExitAsync(ExitWithin);
        var log = string.Join('\n', host.Output);
        output.WriteLine($"Development, nothing set: exit code {exitCode}; the host wrote:\n{log}");

        Assert.Equal(78, exitCode);
        Assert.Contains("cannot start in the Development environment: 1 setting(s) missing or wrong", log, StringComparison.Ordinal);
        Assert.Contains("Brokerage__PiTrade__ApiKey is missing", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_write_the_failure_as_one_json_object_when_json_logs_are_on()
    {
        var settings = Complete();
        settings.Remove("ConnectionStrings:OrderProcessor");
        settings["Logging:Console:FormatterName"] = "json";

        await using var host = HostLaunch.Start(settings);
        var exitCode = await host.WaitForExitAsync(ExitWithin);
        output.WriteLine($"exit code {exitCode}; the host wrote:\n{string.Join('\n', host.Output)}");

        Assert.Equal(78, exitCode);
        var line = Assert.Single(host.Output, l => l.Contains("cannot start", StringComparison.Ordinal));
        using var entry = JsonDocument.Parse(line);
        Assert.Equal("Critical", entry.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal("OrderProcessor.Host.StartupSettings", entry.RootElement.GetProperty("Category").GetString());
        Assert.Contains("ConnectionStrings:OrderProcessor is required", entry.RootElement.GetProperty("State").GetProperty("Failures").GetString(), StringComparison.Ordinal);
        Assert.Equal("Production", entry.RootElement.GetProperty("State").GetProperty("Environment").GetString());
    }
}
