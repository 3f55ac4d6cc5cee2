using OrderProcessor.Simulator.Rules;

namespace OrderProcessor.Simulator.Tests;

/// <summary>The pure rules the HTTP simulator and the in-memory IBKR model share, at their edges.</summary>
public sealed class When_ibkr_rules_are_applied
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_refuse_a_cOID_until_the_window_has_fully_passed()
    {
        var window = IbkrRules.DefaultDuplicateClientOrderIdWindow;

        Assert.Equal(TimeSpan.FromHours(24), window);
        Assert.True(IbkrRules.IsDuplicateClientOrderId(Noon, Noon, window));
        Assert.True(IbkrRules.IsDuplicateClientOrderId(Noon, Noon + window - TimeSpan.FromTicks(1), window));
        Assert.False(IbkrRules.IsDuplicateClientOrderId(Noon, Noon + window, window));
    }

    [Theory]
    [InlineData(1, "2026-03-10T00:00:00Z", true)]
    [InlineData(1, "2026-03-09T23:59:59Z", false)]
    [InlineData(2, "2026-03-09T00:00:00Z", true)]
    [InlineData(2, "2026-03-08T23:59:59Z", false)]
    [InlineData(7, "2026-03-04T00:00:00Z", true)]
    [InlineData(7, "2026-03-03T23:59:59Z", false)]
    public void Should_cover_calendar_days_from_utc_midnight(int days, string executedAt, bool covered) =>
        Assert.Equal(covered, IbkrRules.IsCoveredByTrades(DateTimeOffset.Parse(executedAt, System.Globalization.CultureInfo.InvariantCulture), Noon, days));

    [Fact]
    public void Should_refuse_days_outside_one_to_seven()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IbkrRules.IsCoveredByTrades(Noon, Noon, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => IbkrRules.IsCoveredByTrades(Noon, Noon, 8));
    }

    [Fact]
    public void Should_list_working_orders_after_the_lag_and_ended_ones_only_from_this_session()
    {
        var sessionStart = Noon.AddHours(-1);
        var lag = TimeSpan.FromSeconds(5);

        Assert.False(IbkrRules.IsListedInLiveOrders(false, Noon.AddSeconds(-4), null, sessionStart, Noon, lag));
        Assert.True(IbkrRules.IsListedInLiveOrders(false, Noon.AddSeconds(-5), null, sessionStart, Noon, lag));
        Assert.True(IbkrRules.IsListedInLiveOrders(false, Noon.AddDays(-3), null, sessionStart, Noon, lag));
        Assert.True(IbkrRules.IsListedInLiveOrders(true, Noon.AddDays(-3), sessionStart, sessionStart, Noon, lag));
        Assert.False(IbkrRules.IsListedInLiveOrders(true, Noon.AddDays(-3), sessionStart.AddTicks(-1), sessionStart, Noon, lag));
        Assert.False(IbkrRules.IsListedInLiveOrders(true, Noon.AddSeconds(-1), Noon, sessionStart, Noon, lag));
    }

    [Fact]
    public void Should_make_the_status_of_earlier_sessions_unavailable_as_the_scope_says()
    {
        var sessionStart = Noon;

        Assert.True(IbkrRules.IsOrderStatusUnavailable(true, Noon.AddHours(-2), Noon.AddHours(-1), sessionStart, StatusUnavailableScope.EndedBeforeSession));
        Assert.False(IbkrRules.IsOrderStatusUnavailable(false, Noon.AddHours(-2), null, sessionStart, StatusUnavailableScope.EndedBeforeSession));
        Assert.False(IbkrRules.IsOrderStatusUnavailable(true, Noon.AddHours(-2), Noon, sessionStart, StatusUnavailableScope.EndedBeforeSession));
        Assert.True(IbkrRules.IsOrderStatusUnavailable(false, Noon.AddHours(-2), null, sessionStart, StatusUnavailableScope.AcceptedBeforeSession));
    }

    [Theory]
    [InlineData(ModifyClientOrderIdRule.MustRepeat, "a", "a", true)]
    [InlineData(ModifyClientOrderIdRule.MustRepeat, "a", null, false)]
    [InlineData(ModifyClientOrderIdRule.MustRepeat, "a", "b", false)]
    [InlineData(ModifyClientOrderIdRule.MustRepeat, null, null, true)]
    [InlineData(ModifyClientOrderIdRule.MustRepeat, null, "b", false)]
    [InlineData(ModifyClientOrderIdRule.MustMatchWhenGiven, "a", null, true)]
    [InlineData(ModifyClientOrderIdRule.MustMatchWhenGiven, "a", "b", false)]
    [InlineData(ModifyClientOrderIdRule.Ignored, "a", "b", true)]
    public void Should_judge_a_modify_cOID(ModifyClientOrderIdRule rule, string? original, string? given, bool accepted) =>
        Assert.Equal(accepted, IbkrRules.IsModifyClientOrderIdAccepted(original, given, rule));

    [Fact]
    public void Should_check_duplicates_at_the_configured_points()
    {
        Assert.True(IbkrRules.ChecksDuplicateOnArrival(DuplicateCheckPoint.Both) && IbkrRules.ChecksDuplicateAtAcceptance(DuplicateCheckPoint.Both));
        Assert.False(IbkrRules.ChecksDuplicateAtAcceptance(DuplicateCheckPoint.BeforeChecks));
        Assert.False(IbkrRules.ChecksDuplicateOnArrival(DuplicateCheckPoint.AfterChecks));
    }
}
