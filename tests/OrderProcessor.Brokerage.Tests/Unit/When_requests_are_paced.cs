using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Pacing;
using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_requests_are_paced
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly BrokerageOptions _options = new() { Pacing = { SafetyMargin = TimeSpan.Zero } };

    [Fact]
    public async Task Should_let_ten_through_per_second_for_one_user_and_hold_the_eleventh()
    {
        var gate = new PacingGate(_time, Monitor(), TestMetrics.Create());
        var rules = new PacingRuleBook(Monitor()).RulesFor(IbkrEndpointCatalog.Accounts, "u1");

        for (var i = 0; i < 10; i++)
        {
            await gate.WaitForTurnAsync(rules, CancellationToken.None);
        }

        var eleventh = gate.WaitForTurnAsync(rules, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(eleventh.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await eleventh.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Should_keep_users_apart_but_share_the_egress_ip_budget()
    {
        _options.Pacing.PerEgressIpPerSecond = 15;
        var gate = new PacingGate(_time, Monitor(), TestMetrics.Create());
        var book = new PacingRuleBook(Monitor());

        // Three users want 10 each within the first second; the IP lets 15 through in all, spread over the second.
        var wanted = new[] { "u1", "u2", "u3" }.SelectMany(u => Enumerable.Range(0, 10).Select(_ => u)).ToList();
        var granted = new List<string>();
        for (var step = 0; step < 20 && wanted.Count > 0; step++)
        {
            foreach (var user in wanted.Distinct().ToList())
            {
                while (wanted.Contains(user) && gate.TryTake(book.RulesFor(IbkrEndpointCatalog.Accounts, user)) is not null)
                {
                    wanted.Remove(user);
                    granted.Add(user);
                }
            }

            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(15, granted.Count);
        Assert.All(granted.GroupBy(u => u), g => Assert.True(g.Count() <= 10));
        Assert.NotNull(gate.TryTake(book.RulesFor(IbkrEndpointCatalog.Accounts, "u4")));
    }

    [Fact]
    public async Task Should_allow_one_live_orders_call_per_five_seconds()
    {
        var gate = new PacingGate(_time, Monitor(), TestMetrics.Create());
        var rules = new PacingRuleBook(Monitor()).RulesFor(IbkrEndpointCatalog.LiveOrders, "u1");
        await gate.WaitForTurnAsync(rules, CancellationToken.None);

        var second = gate.WaitForTurnAsync(rules, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Should_pause_the_user_after_a_429_and_double_the_pause_on_the_next()
    {
        _options.Pacing.BackoffAfterTooManyRequests = TimeSpan.FromSeconds(1);
        var gate = new PacingGate(_time, Monitor(), TestMetrics.Create());
        var book = new PacingRuleBook(Monitor());
        var rules = book.RulesFor(IbkrEndpointCatalog.Accounts, "u1");

        gate.ReportTooManyRequests(rules, new PacingGrant(_time.GetTimestamp(), IsProbe: false));
        gate.ReportTooManyRequests(rules, new PacingGrant(_time.GetTimestamp(), IsProbe: false));
        var next = gate.WaitForTurnAsync(rules, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.5));
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, gate.TooManyRequestsSeen);
    }

    private IOptionsMonitor<BrokerageOptions> Monitor() => new StaticOptionsMonitor(_options);
}
