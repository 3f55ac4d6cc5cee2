using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Configuration;

namespace OrderProcessor.UnitTests.Execution;

public sealed class When_lifecycle_settings_are_validated
{
    private static ValidateOptionsResult Validate(LifecycleOptions lifecycle, BrokerageOptions? brokerage = null) =>
        new LifecycleOptionsValidator(Options.Create(brokerage ?? new BrokerageOptions())).Validate(null, lifecycle);

    [Fact]
    public void Should_accept_the_defaults()
    {
        Assert.True(Validate(new LifecycleOptions()).Succeeded);
    }

    [Fact]
    public void Should_refuse_a_work_lease_shorter_than_the_longest_call_the_guard_can_make_naming_both_settings()
    {
        var result = Validate(new LifecycleOptions { WorkLease = TimeSpan.FromSeconds(30) });

        Assert.True(result.Failed);
        Assert.Contains("Lifecycle:WorkLease", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Brokerage:Timeouts:Attempt + Brokerage:Timeouts:Total", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_accept_a_short_lease_when_the_guards_timeouts_are_short_too()
    {
        var brokerage = new BrokerageOptions { Timeouts = new TimeoutOptions { Attempt = TimeSpan.FromSeconds(1), Total = TimeSpan.FromSeconds(1) } };
        Assert.True(Validate(new LifecycleOptions { WorkLease = TimeSpan.FromSeconds(3), UserLeaseDuration = TimeSpan.FromSeconds(10) }, brokerage).Succeeded);
    }

    [Fact]
    public void Should_refuse_a_user_lease_the_longest_status_poll_could_outlive()
    {
        var result = Validate(new LifecycleOptions { UserLeaseDuration = TimeSpan.FromSeconds(10) });
        Assert.Contains("Lifecycle:UserLeaseDuration", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_users_share_larger_than_the_workers_slots()
    {
        var result = Validate(new LifecycleOptions { MaxConcurrentWork = 16, MaxConcurrentWorkPerUser = 17 });
        Assert.Contains("Lifecycle:MaxConcurrentWorkPerUser", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(Validate(new LifecycleOptions { MaxConcurrentWork = 16, MaxConcurrentWorkPerUser = 16 }).Succeeded);
    }
}
