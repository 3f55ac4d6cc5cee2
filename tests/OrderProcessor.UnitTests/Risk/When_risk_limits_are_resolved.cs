using OrderProcessor.Configuration;
using OrderProcessor.Persistence;
using OrderProcessor.Risk;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Risk;

/// <summary>The limits of an order: the account's (or user's) row of risk_limits where it sets one, else Risk:*.</summary>
public sealed class When_risk_limits_are_resolved(ITestOutputHelper output)
{
    [Fact]
    public void Should_take_the_configured_defaults_without_rows()
    {
        var limits = RiskLimits.Resolve(new RiskOptions(), null, null);
        output.WriteLine(limits.ToString());
        Assert.Equal(new RiskLimits(10_000m, 1_000_000m, 10, 300, 20, 600, 20, TimeSpan.Zero), limits);
    }

    [Fact]
    public void Should_take_each_limit_a_row_sets_and_the_default_for_the_others()
    {
        var account = new RiskLimitRow { Scope = "account", ScopeKey = "DU1", MaxQuantity = 50, MaxOrdersPerSecond = 2, DuplicateWindow = TimeSpan.FromSeconds(10) };
        var user = new RiskLimitRow { Scope = "user", ScopeKey = "alice", MaxOrdersPerMinute = 7 };
        var limits = RiskLimits.Resolve(new RiskOptions { MaxNotional = 5000m }, account, user);
        output.WriteLine(limits.ToString());
        Assert.Equal(new RiskLimits(50m, 5000m, 2, 300, 20, 7, 20, TimeSpan.FromSeconds(10)), limits);
    }

    [Fact]
    public void Should_keep_a_limit_off_that_the_configuration_turns_off_and_no_row_sets()
    {
        var limits = RiskLimits.Resolve(new RiskOptions { MaxQuantity = null, MaxOrdersPerSecondPerUser = null }, null, null);
        Assert.Null(limits.MaxQuantity);
        Assert.Null(limits.MaxOrdersPerSecondPerUser);
    }

    [Fact]
    public void Should_accept_at_start_up_the_reference_price_controls_with_or_without_a_configured_maximum()
    {
        // WhatIf without Risk:MaxNotional is fine: a row of risk_limits may set one per account.
        var options = new RiskOptions { PriceBandPercent = 5m, ReferencePriceForMarketOrders = ReferencePriceSource.WhatIf, MaxNotional = null };
        var problems = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), problems, validateAllProperties: true);
        output.WriteLine($"valid {valid}: {string.Join("; ", problems.Select(p => p.ErrorMessage))}");
        Assert.True(valid);
    }

    [Fact]
    public void Should_refuse_a_price_band_out_of_range_naming_the_key()
    {
        var options = new RiskOptions { PriceBandPercent = 0m };
        var problems = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), problems, validateAllProperties: true);
        output.WriteLine(string.Join("; ", problems.Select(p => p.ErrorMessage)));
        Assert.Contains(problems, p => p.ErrorMessage!.StartsWith("Risk:PriceBandPercent ", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_take_the_accounts_price_band_over_the_configured_one()
    {
        var account = new RiskLimitRow { Scope = "account", ScopeKey = "DU1", PriceBandPercent = 2.5m };
        var withRow = RiskLimits.Resolve(new RiskOptions { PriceBandPercent = 10m }, account, null);
        var withoutRow = RiskLimits.Resolve(new RiskOptions { PriceBandPercent = 10m }, null, null);
        output.WriteLine($"row: {withRow.PriceBandPercent} %, default: {withoutRow.PriceBandPercent} %, off by default: {RiskLimits.Resolve(new RiskOptions(), null, null).PriceBandPercent is null}");
        Assert.Equal(2.5m, withRow.PriceBandPercent);
        Assert.Equal(10m, withoutRow.PriceBandPercent);
        Assert.Null(RiskLimits.Resolve(new RiskOptions(), null, null).PriceBandPercent);
    }
}
