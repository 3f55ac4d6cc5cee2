using OrderProcessor.Risk;

namespace OrderProcessor.UnitTests.Risk;

public sealed class When_a_rate_bucket_was_short_lately
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 17, 0, 0, TimeSpan.Zero);
    private static readonly RateBucket AccountPerSecond = new("account", "DU1", RatePeriod.Second, 2);
    private static readonly RateBucket AccountPerMinute = new("account", "DU1", RatePeriod.Minute, 100);
    private static readonly RateBucket UserPerSecond = new("user", "alice", RatePeriod.Second, 2);
    private static readonly RateBucket OtherAccount = new("account", "DU2", RatePeriod.Second, 2);

    [Fact]
    public void Should_say_short_for_every_bucket_of_its_scope_within_the_window_and_not_after()
    {
        var shortly = new RecentlyShortBuckets();
        shortly.Refused(AccountPerSecond, Now);

        Assert.True(shortly.AnyShort([AccountPerMinute], Now + TimeSpan.FromMilliseconds(999)));
        Assert.True(shortly.AnyShort([UserPerSecond, AccountPerSecond], Now));
        Assert.False(shortly.AnyShort([AccountPerSecond], Now + RecentlyShortBuckets.MinimumWindow));
    }

    [Fact]
    public void Should_wait_for_a_slow_bucket_to_refill_a_token()
    {
        var perMinute = new RateBucket("account", "DU3", RatePeriod.Minute, 2);
        var shortly = new RecentlyShortBuckets();
        shortly.Refused(perMinute, Now);

        Assert.Equal(TimeSpan.FromSeconds(30), RecentlyShortBuckets.WindowOf(perMinute));
        Assert.True(shortly.AnyShort([perMinute], Now + TimeSpan.FromSeconds(29)));
        Assert.False(shortly.AnyShort([perMinute], Now + TimeSpan.FromSeconds(30)));
        Assert.Equal(RecentlyShortBuckets.MinimumWindow, RecentlyShortBuckets.WindowOf(AccountPerSecond));
    }

    [Fact]
    public void Should_say_nothing_of_other_accounts_and_users()
    {
        var shortly = new RecentlyShortBuckets();
        Assert.False(shortly.AnyShort([AccountPerSecond], Now));
        shortly.Refused(AccountPerSecond, Now);

        Assert.False(shortly.AnyShort([OtherAccount, UserPerSecond], Now));
    }

    [Fact]
    public void Should_keep_a_flood_short_while_its_refusals_go_on()
    {
        var shortly = new RecentlyShortBuckets();
        shortly.Refused(UserPerSecond, Now);
        shortly.Refused(UserPerSecond, Now + TimeSpan.FromMilliseconds(900));

        Assert.True(shortly.AnyShort([UserPerSecond], Now + TimeSpan.FromMilliseconds(1500)));
    }
}
