using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Availability;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_the_maintenance_configuration_is_validated(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Brokerage:Maintenance:Regions:Europe:TimeZone", "Europe/Atlantis", "Brokerage__Maintenance__Regions__Europe__TimeZone 'Europe/Atlantis' is not a time zone")]
    [InlineData("Brokerage:Maintenance:DefaultRegion", "Mars", "Brokerage__Maintenance__DefaultRegion 'Mars' is not one of")]
    [InlineData("Brokerage:Maintenance:UserRegions:alice", "Moon", "Brokerage__Maintenance__UserRegions__alice names region 'Moon'")]
    [InlineData("Brokerage:Maintenance:ProbeInterval", "00:00:00", "Brokerage__Maintenance__ProbeInterval must be greater than zero")]
    [InlineData("Brokerage:Maintenance:DetectWithin", "00:00:00", "Brokerage__Maintenance__DetectWithin must be greater than zero")]
    [InlineData("Brokerage:Maintenance:HoldBefore", "-00:00:01", "Brokerage__Maintenance__HoldBefore must be between 00:00:00 and 00:10:00")]
    [InlineData("Brokerage:Maintenance:HoldBefore", "00:10:01", "Brokerage__Maintenance__HoldBefore must be between 00:00:00 and 00:10:00")]
    [InlineData("Brokerage:Maintenance:Regions:Asia:Nightly:Length", "1.00:00:00", "Brokerage__Maintenance__Regions__Asia__Nightly__Length must be from 00:00:00")]
    [InlineData("Brokerage:Maintenance:Regions:Asia:Weekly:0:Length", "00:00:00", "Brokerage__Maintenance__Regions__Asia__Weekly__0__Length must be greater than zero")]
    [InlineData("Brokerage:Maintenance:Regions:Asia:TimeZone", "Asia/Hong_Kong", "Brokerage__Maintenance__DefaultRegion 'NorthAmerica' is not one of")] // configured regions replace the defaults
    public void Should_refuse_to_start_naming_the_setting(string key, string value, string expected)
    {
        var settings = GuardHost.DefaultSettings();
        settings[key] = value;
        using var services = Build(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<MaintenanceOptions>>().Value);

        output.WriteLine(string.Join(Environment.NewLine, failure.Failures));
        Assert.Contains(failure.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_accept_the_defaults_and_find_every_regions_time_zone()
    {
        using var services = Build(GuardHost.DefaultSettings());

        var options = services.GetRequiredService<IOptions<MaintenanceOptions>>().Value;
        var schedule = MaintenanceSchedule.From(options, TimeProvider.System);

        output.WriteLine($"regions {string.Join(", ", options.Regions.Select(r => $"{r.Key}={r.Value.TimeZone}"))}; default {options.DefaultRegion}");
        Assert.Equal(["Asia", "Europe", "NorthAmerica"], schedule.Regions.Order(StringComparer.Ordinal));
        Assert.All(schedule.Regions, r => Assert.NotNull(schedule.NextWindow(r, DateTimeOffset.UtcNow)));
    }

    [Fact]
    public void Should_replace_the_default_regions_with_the_configured_ones_and_their_windows_only()
    {
        var settings = GuardHost.DefaultSettings();
        settings["Brokerage:Maintenance:DefaultRegion"] = "Test";
        settings["Brokerage:Maintenance:Regions:Test:TimeZone"] = "Europe/London";
        settings["Brokerage:Maintenance:Regions:Test:Weekly:0:Day"] = "Sunday";
        settings["Brokerage:Maintenance:Regions:Test:Weekly:0:Start"] = "10:00";
        settings["Brokerage:Maintenance:Regions:Test:Weekly:0:Length"] = "01:00:00";
        using var services = Build(settings);

        var options = services.GetRequiredService<IOptions<MaintenanceOptions>>().Value;

        var test = options.Regions["Test"];
        output.WriteLine($"regions {string.Join(", ", options.Regions.Keys)}; Test: {test.TimeZone}, nightly {test.Nightly.Start} + {test.Nightly.Length}, weekly {string.Join(", ", test.Weekly.Select(w => $"{w.Day} {w.Start} + {w.Length}"))}");
        Assert.Equal(["Test"], options.Regions.Keys);
        var weekly = Assert.Single(test.Weekly);
        Assert.Equal((DayOfWeek.Sunday, new TimeOnly(10, 0), TimeSpan.FromHours(1)), (weekly.Day, weekly.Start, weekly.Length));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddBrokerageGuard(configuration.GetSection("Brokerage")).BuildServiceProvider();
    }
}
