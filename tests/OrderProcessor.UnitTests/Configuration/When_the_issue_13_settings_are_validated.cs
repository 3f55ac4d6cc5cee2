using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using OrderProcessor.Brokerage.Availability;
using OrderProcessor.Configuration;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Configuration;

/// <summary>The settings issue 13 adds (Risk, Lifecycle:MaxHold, Brokerage:Maintenance) are valid as shipped, so nothing refuses to start.</summary>
public sealed class When_the_issue_13_settings_are_validated(ITestOutputHelper output)
{
    private static T Bind<T>(string section, params (string Key, string Value)[] settings)
        where T : new()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{section}:{s.Key}", s.Value)))
            .Build();
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    private static List<string> Problems(object options)
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);
        return problems.Select(p => p.ErrorMessage ?? "").ToList();
    }

    [Fact]
    public void Should_accept_the_defaults()
    {
        var risk = Bind<RiskOptions>(RiskOptions.Section);
        var lifecycle = Bind<LifecycleOptions>(LifecycleOptions.Section);
        var maintenance = Bind<MaintenanceOptions>(MaintenanceOptions.SectionName);
        var problems = Problems(risk).Concat(Problems(lifecycle)).Concat(Problems(maintenance)).ToList();

        output.WriteLine($"Risk: quantity {risk.MaxQuantity}, notional {risk.MaxNotional}, working {risk.MaxWorkingOrdersPerContractSide}; Lifecycle: MaxHold {lifecycle.MaxHold}, HoldProbeInterval {lifecycle.HoldProbeInterval}; Maintenance: {maintenance.Regions.Count} regions; problems: {problems.Count}");
        Assert.Empty(problems);
        Assert.Equal((TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(15)), (lifecycle.ToSettings().MaxHold, lifecycle.ToSettings().HoldProbeInterval));
        Assert.Equal(new TimeOnly(0, 55), maintenance.Regions["Europe"].Nightly.Start);
    }

    [Theory]
    [InlineData("Risk", "MaxQuantity", "0")]
    [InlineData("Risk", "MaxNotional", "-1")]
    [InlineData("Lifecycle", "MaxHold", "00:00:00")]
    [InlineData("Lifecycle", "HoldProbeInterval", "01:00:00")]
    public void Should_refuse_a_value_out_of_range_naming_the_setting(string section, string key, string value)
    {
        object options = section == "Risk" ? Bind<RiskOptions>(section, (key, value)) : Bind<LifecycleOptions>(section, (key, value));
        var problems = Problems(options);

        output.WriteLine($"{section}:{key}={value}: {string.Join("; ", problems)}");
        Assert.Contains(problems, p => p.StartsWith($"{section}:{key} must be", StringComparison.Ordinal));
    }
}
