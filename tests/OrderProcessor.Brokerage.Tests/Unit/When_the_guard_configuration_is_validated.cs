using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_the_guard_configuration_is_validated(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Brokerage:PiTrade:ApiKey", null, "Brokerage__PiTrade__ApiKey is missing")]
    [InlineData("Brokerage:PiTrade:ApiKey", "short", "Brokerage__PiTrade__ApiKey is too short")]
    [InlineData("Brokerage:PiTrade:ClientId", null, "Brokerage__PiTrade__ClientId is missing")]
    [InlineData("Brokerage:PiTrade:BaseUrl", null, "Brokerage__PiTrade__BaseUrl is missing")]
    [InlineData("Brokerage:Ibkr:BaseUrl", null, "Brokerage__Ibkr__BaseUrl is missing")]
    [InlineData("Brokerage:PiTrade:EgressIp", "not-an-ip", "Brokerage__PiTrade__EgressIp is not an IP address")]
    [InlineData("Brokerage:Pacing:PerUserPerSecond", "0", "Brokerage__Pacing__PerUserPerSecond must be at least 1")]
    [InlineData("Brokerage:Timeouts:Attempt", "00:00:00", "Brokerage__Timeouts__Attempt must be a positive duration")]
    [InlineData("Brokerage:Stream:HeartbeatTimeout", "00:00:00", "Brokerage__Stream__HeartbeatTimeout must be a positive duration")]
    [InlineData("Brokerage:Stream:TicInterval", "00:02:00", "Brokerage__Stream__TicInterval must be at most 60 s")]
    [InlineData("Brokerage:Stream:ReconnectMaxDelay", "00:00:00.100", "Brokerage__Stream__ReconnectMaxDelay must be at least Brokerage__Stream__ReconnectBaseDelay")]
    [InlineData("Brokerage:Stream:MaxMessageBytes", "10", "Brokerage__Stream__MaxMessageBytes must be at least 4096")]
    [InlineData("Brokerage:Stream:MalformedBeforeReconnect", "0", "Brokerage__Stream__MalformedBeforeReconnect must be at least 1")]
    [InlineData("Brokerage:Stream:IdleCloseAfter", "-00:00:01", "Brokerage__Stream__IdleCloseAfter must be a positive duration")]
    public void Should_name_the_missing_or_wrong_setting(string key, string? value, string expected)
    {
        var settings = GuardHost.DefaultSettings();
        settings[key] = value;
        if (value is null)
        {
            settings.Remove(key);
        }

        using var services = Build(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BrokerageOptions>>().Value);
        Assert.Contains(failure.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(SimulatorServer.ApiKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_accept_the_defaults_with_credentials_and_urls()
    {
        using var services = Build(GuardHost.DefaultSettings());

        var options = services.GetRequiredService<IOptions<BrokerageOptions>>().Value;

        Assert.Equal(["o10151", "o10152", "o354", "o382", "o403", "o10223"], options.Questions.EffectiveAllowedIds);
        Assert.Equal(10, options.Pacing.PerUserPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Pacing.LiveOrdersInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Session.TickleInterval);
    }

    [Fact]
    public void Should_replace_the_default_allow_list_with_the_configured_one()
    {
        var settings = GuardHost.DefaultSettings();
        settings["Brokerage:Questions:AllowedIds:0"] = "o10151";
        settings["Brokerage:Questions:AllowedIds:1"] = "o163";
        using var services = Build(settings);

        var options = services.GetRequiredService<IOptions<BrokerageOptions>>().Value;

        Assert.Equal(["o10151", "o163"], options.Questions.EffectiveAllowedIds);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Should_require_https_for_pitrade_and_ibkr_outside_development(string? environment)
    {
        var settings = GuardHost.DefaultSettings();
        settings.Remove("Brokerage:AllowInsecureHttp");
        using var services = Build(settings, environment);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BrokerageOptions>>().Value);
        output.WriteLine($"{environment ?? "no host"}: {string.Join(" | ", failure.Failures)}");

        Assert.Contains(failure.Failures, f => f.StartsWith("Brokerage__PiTrade__BaseUrl must be an https URL", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("Brokerage__Ibkr__BaseUrl must be an https URL", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://localhost/", "Development", null)]
    [InlineData("http://localhost/", "Production", "true")]
    [InlineData("https://api.pitrade.example/", "Production", null)]
    public void Should_accept_https_and_http_only_in_development_or_when_allowed(string baseUrl, string environment, string? allowInsecureHttp)
    {
        var settings = GuardHost.DefaultSettings();
        settings["Brokerage:AllowInsecureHttp"] = allowInsecureHttp;
        settings["Brokerage:PiTrade:BaseUrl"] = baseUrl;
        settings["Brokerage:Ibkr:BaseUrl"] = baseUrl + "v1/api";
        using var services = Build(settings, environment);

        var options = services.GetRequiredService<IOptions<BrokerageOptions>>().Value;
        output.WriteLine($"{baseUrl} in {environment} (AllowInsecureHttp={allowInsecureHttp ?? "unset"}): accepted");
        Assert.Equal(new Uri(baseUrl), options.PiTrade.BaseUrl);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, string? environment = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        if (environment is not null)
        {
            services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
        }

        return services.AddBrokerageGuard(configuration.GetSection("Brokerage")).BuildServiceProvider();
    }
}
