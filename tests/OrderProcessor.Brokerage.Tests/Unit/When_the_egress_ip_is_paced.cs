using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Pacing;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_the_egress_ip_is_paced(ITestOutputHelper output)
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly BrokerageOptions _options = new()
    {
        Pacing =
        {
            SafetyMargin = TimeSpan.Zero,
            PerUserPerSecond = 10,
            PerEgressIpPerSecond = 20,
            EgressPauseAfterTooManyRequests = TimeSpan.FromSeconds(2),
            BackoffAfterTooManyRequests = TimeSpan.FromMilliseconds(100),
            RampStartPerSecond = 2,
            RampTime = TimeSpan.FromSeconds(10),
        },
    };

    [Fact]
    public async Task Should_neither_stall_nor_burst_when_the_wall_clock_steps()
    {
        _options.Pacing.PerEgressIpPerSecond = 200;
        var clock = new SteppingWallClock(_time);
        var gate = new PacingGate(clock, Monitor(), TestMetrics.Create());
        var rules = new PacingRuleBook(Monitor()).RulesFor(IbkrEndpointCatalog.Accounts, "u1");
        for (var i = 0; i < 10; i++)
        {
            Assert.NotNull(await gate.WaitForTurnAsync(rules, CancellationToken.None));
        }

        clock.StepWallClock(TimeSpan.FromHours(1));
        var afterForwardStep = gate.TryTake(rules);
        clock.StepWallClock(TimeSpan.FromHours(-2));
        var eleventh = gate.WaitForTurnAsync(rules, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1));
        await eleventh.WaitAsync(TimeSpan.FromSeconds(5));

        output.WriteLine($"slot right after the wall clock jumped 1 h forward: {(afterForwardStep is null ? "refused" : "granted")}; "
            + $"11th slot after jumping 2 h back: granted after {1.0:0.0} s of monotonic time");
        Assert.Null(afterForwardStep);
    }

    [Fact]
    public async Task Should_send_one_probe_after_a_429_then_ramp_and_never_exceed_the_budget()
    {
        var gate = new PacingGate(_time, Monitor(), TestMetrics.Create());
        var book = new PacingRuleBook(Monitor());
        var users = Enumerable.Range(0, 40).Select(i => "u" + i).ToArray();
        var rulesOf = users.ToDictionary(u => u, u => book.RulesFor(IbkrEndpointCatalog.Accounts, u));

        // Full speed first, then a 429.
        var first = await gate.WaitForTurnAsync(rulesOf["u0"], CancellationToken.None);
        gate.ReportTooManyRequests(rulesOf["u0"], first!.Value);
        var pausedAt = _time.GetTimestamp();

        // 40 users each keep one request waiting; every grant is answered at once (200 unless told).
        var grants = new List<(double At, string User, bool Probe)>();
        var waiting = users.ToDictionary(u => u, u => gate.WaitForTurnAsync(rulesOf[u], CancellationToken.None).AsTask());
        for (var step = 0; step < 300; step++)
        {
            await Task.Yield();
            foreach (var (user, task) in waiting.Where(p => p.Value.IsCompleted).ToList())
            {
                var grant = (await task)!.Value;
                var at = _time.GetElapsedTime(pausedAt, _time.GetTimestamp()).TotalSeconds;
                grants.Add((at, user, grant.IsProbe));
                gate.ReportAnswered(rulesOf[user], grant);
                waiting[user] = gate.WaitForTurnAsync(rulesOf[user], CancellationToken.None).AsTask();
            }

            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        var maxInAnySecond = grants.Max(g => grants.Count(o => o.At >= g.At && o.At < g.At + 1.0));
        var perSecond = Enumerable.Range(0, 15).Select(s => grants.Count(g => g.At >= s && g.At < s + 1)).ToArray();
        output.WriteLine($"pause 2 s; first grant at {grants[0].At:0.00} s (probe: {grants[0].Probe}); second at {grants[1].At:0.00} s");
        output.WriteLine($"grants per second after the 429: {string.Join(", ", perSecond)}; most in any 1 s: {maxInAnySecond} (budget 20)");

        Assert.True(grants[0].At >= 2.0, "nothing goes before the pause ends");
        Assert.True(grants[0].Probe, "the first send after the pause is the probe");
        Assert.Single(grants, g => g.At < grants[0].At + 0.001);
        Assert.True(perSecond[2] <= 3, "the first second after the probe ramps from 2/s, not a burst of the waiters");
        Assert.True(perSecond[6] > perSecond[3], "the budget climbs during the ramp");
        Assert.True(perSecond[13] >= 18, "back to the budget after the ramp");
        Assert.True(maxInAnySecond <= 20, "never more than the budget in any second");
    }

    [Fact]
    public async Task Should_probe_again_after_a_refused_probe_and_double_the_pause()
    {
        var gate = new PacingGate(_time, Monitor(), TestMetrics.Create());
        var rules = new PacingRuleBook(Monitor()).RulesFor(IbkrEndpointCatalog.Accounts, "u1");
        var other = new PacingRuleBook(Monitor()).RulesFor(IbkrEndpointCatalog.Accounts, "u2");
        var first = await gate.WaitForTurnAsync(rules, CancellationToken.None);
        gate.ReportTooManyRequests(rules, first!.Value);

        _time.Advance(TimeSpan.FromSeconds(2));
        var probe = gate.TryTake(other);
        var behindProbe = gate.TryTake(other);
        gate.ReportTooManyRequests(other, probe!.Value);
        _time.Advance(TimeSpan.FromSeconds(3.9));
        var beforeDoubledPause = gate.TryTake(other);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        var secondProbe = gate.TryTake(other);

        output.WriteLine($"probe: {probe?.IsProbe}; a second send while the probe is out: {(behindProbe is null ? "held" : "sent")}; "
            + $"after the probe's 429, at 3.9 s: {(beforeDoubledPause is null ? "held" : "sent")}; at 4.1 s: probe {secondProbe?.IsProbe}");
        Assert.True(probe?.IsProbe);
        Assert.Null(behindProbe);
        Assert.Null(beforeDoubledPause);
        Assert.True(secondProbe?.IsProbe);
    }

    [Fact]
    public void Should_split_the_budget_between_the_processes_behind_the_ip()
    {
        var coordinator = new FixedCoordinator(new EgressBudgetView(3, 0, true, null, null));
        var gate = new PacingGate(_time, Monitor(), TestMetrics.Create(), coordinator);
        var book = new PacingRuleBook(Monitor());
        var granted = 0;
        for (var step = 0; step < 20; step++)
        {
            for (var i = 0; i < 40; i++)
            {
                if (gate.TryTake(book.RulesFor(IbkrEndpointCatalog.Accounts, "u" + i)) is not null)
                {
                    granted++;
                }
            }

            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        output.WriteLine($"budget 20/s, 3 processes: this process got {granted} slots in one second");
        Assert.Equal(6, granted);
    }

    [Fact]
    public void Should_pause_when_another_process_saw_a_429_and_leave_the_probe_to_it()
    {
        var coordinator = new FixedCoordinator(EgressBudgetView.Alone);
        var gate = new PacingGate(_time, Monitor(), TestMetrics.Create(), coordinator);
        var rules = new PacingRuleBook(Monitor()).RulesFor(IbkrEndpointCatalog.Accounts, "u1");
        var now = _time.GetTimestamp();
        coordinator.View = new EgressBudgetView(2, 1, ProbeIsOurs: false, PausedUntil: now + _time.TimestampFrequency, RampStartedAt: null);

        var duringPause = gate.TryTake(rules);
        _time.Advance(TimeSpan.FromSeconds(1.5));
        var afterPauseBeforeTheirProbe = gate.TryTake(rules);
        coordinator.View = coordinator.View with { RampStartedAt = _time.GetTimestamp() };
        var afterTheirProbe = gate.TryTake(rules);

        output.WriteLine($"during the other process's pause: {(duringPause is null ? "held" : "sent")}; after it, before its probe answered: "
            + $"{(afterPauseBeforeTheirProbe is null ? "held" : "sent")}; after its probe succeeded: {(afterTheirProbe is null ? "held" : "sent (ramp)")}");
        Assert.Null(duringPause);
        Assert.Null(afterPauseBeforeTheirProbe);
        Assert.NotNull(afterTheirProbe);
        Assert.False(afterTheirProbe.Value.IsProbe);
    }

    private IOptionsMonitor<BrokerageOptions> Monitor() => new StaticOptionsMonitor(_options);

    private sealed class FixedCoordinator(EgressBudgetView view) : IEgressBudgetCoordinator
    {
        public EgressBudgetView View { get; set; } = view;

        public EgressBudgetView Current => View;

        public void TooManyRequestsSeen(TimeSpan pause)
        {
        }

        public void ProbeSucceeded()
        {
        }
    }
}
