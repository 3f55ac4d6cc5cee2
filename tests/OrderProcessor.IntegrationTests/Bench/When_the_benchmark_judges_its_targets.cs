using OrderProcessor.Cli.Bench;

namespace OrderProcessor.IntegrationTests.Bench;

/// <summary>
/// The report's targets table (issues #15 and #12) judged on figures chosen for each case: no servers, only the
/// judgement. What a run measured is tested by <see cref="When_the_benchmark_runs"/>.
/// </summary>
public sealed class When_the_benchmark_judges_its_targets
{
    [Fact]
    public void Should_meet_every_target_when_every_figure_is_inside_it()
    {
        var targets = BenchTargets.Judge(Report());

        Assert.Equal(9, targets.Count);
        Assert.All(targets, t => Assert.True(t.Verdict == TargetVerdict.Met, $"{t.Target}: {t.Measured}"));
        Assert.All(targets, t => Assert.Null(t.Saturated));
    }

    [Fact]
    public void Should_name_the_cores_and_each_process_when_a_latency_is_missed_on_a_busy_machine()
    {
        var busy = new CpuUse(new Dictionary<string, double>(), 0.98, new Dictionary<string, double> { ["processor"] = 6.5, ["postgresql"] = 4.5, ["rabbitmq"] = 1.5 });
        var report = Report() with { Rates = [Rate(200, submittedP99: 450, filledP50: 120, filledP99: 600, cpu: busy)] };

        var targets = BenchTargets.Judge(report);

        var latency = targets.Single(t => t.Target.Contains("p99 to OrderSubmitted ≤ 50 ms", StringComparison.Ordinal));
        Assert.Equal(TargetVerdict.NotMet, latency.Verdict);
        Assert.Equal("450.0 ms", latency.Measured);
        Assert.Equal("CPU: the machine 98 % busy; 12.50 ms per order (processor 6.50, postgresql 4.50, rabbitmq 1.50)", latency.Saturated);
        var cpu = targets.Single(t => t.Target.Contains("CPU per order across all processes", StringComparison.Ordinal));
        Assert.Equal(TargetVerdict.NotMet, cpu.Verdict);
        Assert.Equal("12.50 ms (processor, PostgreSQL and RabbitMQ 12.50 ms)", cpu.Measured);
        var fills = targets.Single(t => t.Issue == "#12" && t.Target.Contains("OrderFilled", StringComparison.Ordinal));
        Assert.Equal(TargetVerdict.NotMet, fills.Verdict);
        Assert.StartsWith("120.0 / 600.0 ms", fills.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_say_no_resource_was_used_up_when_a_target_is_missed_on_an_idle_machine()
    {
        var idle = new CpuUse(new Dictionary<string, double>(), 0.40, new Dictionary<string, double> { ["processor"] = 0.5, ["postgresql"] = 0.4 });
        var report = Report() with { Rates = [Rate(200, submittedP99: 80, filledP50: 30, filledP99: 100, cpu: idle)] };

        var latency = BenchTargets.Judge(report).Single(t => t.Target.Contains("p99 to OrderSubmitted ≤ 50 ms", StringComparison.Ordinal));

        Assert.Equal(TargetVerdict.NotMet, latency.Verdict);
        Assert.StartsWith("none: the machine 40 % busy", latency.Saturated, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_not_call_a_fill_target_met_when_fills_are_missing()
    {
        var report = Report() with { Rates = [Rate(200, submittedP99: 20, filledP50: 20, filledP99: 40, filled: 3_990)] };

        var fills = BenchTargets.Judge(report).Single(t => t.Issue == "#12" && t.Target.Contains("OrderFilled", StringComparison.Ordinal));

        Assert.Equal(TargetVerdict.NotMet, fills.Verdict);
        Assert.EndsWith("(3990 of 4000 filled within 30 s)", fills.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_say_which_option_measures_a_target_whose_phase_was_skipped()
    {
        var report = Report() with
        {
            Rates = [Rate(100, submittedP99: 20, filledP50: 20, filledP99: 40)],
            WolverinePeer = null,
            PreloadedDatabase = null,
            LiveOrders = null,
            LiveOrderReadsPerUserPerMinute = null,
            Chaos = null,
        };

        var targets = BenchTargets.Judge(report);

        Assert.Equal(TargetVerdict.NotMeasured, targets.Single(t => t.Target.Contains("Wolverine", StringComparison.Ordinal)).Verdict);
        Assert.Equal(
            ["--chaos-orders", "--peer", "--preload-orders 200000", "--rates including 200", "--rates including 200", "--rates including 200", "--reads-seconds"],
            targets.Where(t => t.Measured.StartsWith("not measured (run with ", StringComparison.Ordinal))
                .Select(t => t.Measured["not measured (run with ".Length..^1]).Order(StringComparer.Ordinal));
        var memory = targets.Single(t => t.Target.Contains("RSS", StringComparison.Ordinal));
        Assert.Equal(TargetVerdict.NotMeasured, memory.Verdict);
        Assert.Equal("peak 250 MB; no live-orders phase (--live-orders)", memory.Measured);
    }

    [Fact]
    public void Should_judge_the_day_database_on_the_target_rate_and_size_only()
    {
        var slower = Rate(200, submittedP99: 45, filledP50: 20, filledP99: 40,
            cpu: new CpuUse(new Dictionary<string, double>(), 0.95, new Dictionary<string, double> { ["processor"] = 1.0, ["postgresql"] = 0.4 }));
        var grown = BenchTargets.Judge(Report() with { PreloadedDatabase = new Preloaded(200_000, 400, 500, [slower]) })
            .Single(t => t.Target.Contains("within 10 %", StringComparison.Ordinal));
        Assert.Equal(TargetVerdict.NotMet, grown.Verdict);
        Assert.Equal("at 200/s on 200,000 orders: p99 40.0 → 45.0 ms (+13%), CPU per order 1.20 → 1.40 ms (+17%)", grown.Measured);
        Assert.StartsWith("CPU: the machine 95 % busy", grown.Saturated, StringComparison.Ordinal);

        var small = BenchTargets.Judge(Report() with { PreloadedDatabase = new Preloaded(300, 3, 100, [Rate(200, submittedP99: 40, filledP50: 20, filledP99: 40)]) })
            .Single(t => t.Target.Contains("within 10 %", StringComparison.Ordinal));
        Assert.Equal(TargetVerdict.NotMeasured, small.Verdict);
        Assert.EndsWith("; the target asks 200,000 orders at 200/s", small.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_count_placements_and_their_setup_but_not_reconciliation_reads_or_cancels_as_calls_per_market_order()
    {
        var calls = new Dictionary<string, double>
        {
            ["POST /v1/api/iserver/account/{accountId}/orders"] = 1.0,
            ["GET /v1/api/iserver/accounts"] = 0.02,
            ["POST /v1/api/iserver/reply/{replyId}"] = 0.02,
            ["GET /v1/api/iserver/account/orders"] = 0.5,
            ["GET /v1/api/iserver/account/trades"] = 0.1,
            ["DELETE /v1/api/iserver/account/{accountId}/order/{orderId}"] = 0.3,
            ["POST /v1/api/iserver/account/{accountId}/order/{orderId}"] = 0.1,
        };
        var met = BenchTargets.Judge(Report() with { IbkrCallsPerOrder = calls }).Single(t => t.Target.StartsWith("IBKR calls", StringComparison.Ordinal));
        Assert.Equal(TargetVerdict.Met, met.Verdict);
        Assert.StartsWith("1.040 (1.000 placements, 0.040 ", met.Measured, StringComparison.Ordinal);

        calls["POST /brokerage-bearer-token"] = 0.02;
        var missed = BenchTargets.Judge(Report() with { IbkrCallsPerOrder = calls }).Single(t => t.Target.StartsWith("IBKR calls", StringComparison.Ordinal));
        Assert.Equal(TargetVerdict.NotMet, missed.Verdict);
    }

    [Fact]
    public void Should_miss_the_memory_target_above_300_MB_and_measure_it_only_with_every_live_order_working()
    {
        Assert.Equal(TargetVerdict.NotMet, MemoryOf(Report() with { ProcessorPeakMemoryMb = 320 }).Verdict);
        Assert.Equal(TargetVerdict.NotMeasured, MemoryOf(Report() with { LiveOrders = new LiveOrdersResult(10_000, 9_990, 240, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(50), 0) }).Verdict);
        Assert.Equal(TargetVerdict.NotMeasured, MemoryOf(Report() with { LiveOrders = new LiveOrdersResult(500, 500, 240, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 0) }).Verdict);
        Assert.Equal("peak 250 MB; with 10,000 of 10,000 live: 240 MB", MemoryOf(Report()).Measured);
    }

    [Fact]
    public void Should_judge_live_order_reads_only_over_a_minute_or_more_with_every_user_streaming()
    {
        Assert.Equal(TargetVerdict.NotMeasured, ReadsOf(Report() with { LiveOrderReadsPerUserPerMinute = new ReadsResult(5, 5, TimeSpan.FromSeconds(6), 0, 0) }).Verdict);
        Assert.Equal(TargetVerdict.NotMet, ReadsOf(Report() with { LiveOrderReadsPerUserPerMinute = new ReadsResult(100, 100, TimeSpan.FromMinutes(2), 1.5, 3) }).Verdict);
        Assert.Equal(TargetVerdict.NotMet, ReadsOf(Report() with { LiveOrderReadsPerUserPerMinute = new ReadsResult(100, 90, TimeSpan.FromMinutes(2), 1.0, 1.0) }).Verdict);
        Assert.Equal("mean 1.00, max 1.00 over 120 s (100 of 100 users streaming)", ReadsOf(Report()).Measured);
    }

    [Fact]
    public void Should_miss_the_chaos_target_on_any_fill_missed_and_not_call_a_smaller_run_met()
    {
        var dirty = Report() with { Chaos = new ChaosResult(500, TimeSpan.FromSeconds(20), 300, 500, 1, 0, 0, ["an order"]) };
        Assert.Equal(TargetVerdict.NotMet, ChaosOf(dirty).Verdict);
        var small = Report() with { Chaos = new ChaosResult(20, TimeSpan.FromSeconds(2), 200, 20, 0, 0, 0, []) };
        Assert.Equal(TargetVerdict.NotMeasured, ChaosOf(small).Verdict);
    }

    [Fact]
    public void Should_show_every_target_in_the_markdown_report_with_its_verdict()
    {
        var markdown = (Report() with { Rates = [Rate(200, submittedP99: 450, filledP50: 120, filledP99: 600)] }).ToMarkdown();

        Assert.Contains("| target | issue | measured | verdict | saturated |", markdown, StringComparison.Ordinal);
        Assert.Contains("| at a steady 200/s: p99 to OrderSubmitted ≤ 50 ms | #15 | 450.0 ms | **not met** | CPU: the machine 92 % busy;", markdown, StringComparison.Ordinal);
        Assert.Contains("| burst PlaceOrder → OrderSubmitted ≥ 1.5× the Wolverine peer's orders/s | #15 | 480 /s against 300 /s: 1.60× | met |  |", markdown, StringComparison.Ordinal);
        Assert.Contains("| processor resident set with 10000 of 10000 resting orders live", markdown, StringComparison.Ordinal);
    }

    private static TargetCheck MemoryOf(BenchReport report) => BenchTargets.Judge(report).Single(t => t.Target.Contains("RSS", StringComparison.Ordinal));

    private static TargetCheck ReadsOf(BenchReport report) => BenchTargets.Judge(report).Single(t => t.Target.StartsWith("REST reads", StringComparison.Ordinal));

    private static TargetCheck ChaosOf(BenchReport report) => BenchTargets.Judge(report).Single(t => t.Target.StartsWith("every socket", StringComparison.Ordinal));

    private static readonly CpuUse Light = new(new Dictionary<string, double>(), 0.92, new Dictionary<string, double> { ["processor"] = 0.6, ["postgresql"] = 0.5, ["rabbitmq"] = 0.1 });

    private static LatencyStats Latency(double p50, double p99, int count = 4_000) => new(count, p50, p99, p99, p99);

    private static RateResult Rate(int rate, double submittedP99, double filledP50, double filledP99, CpuUse? cpu = null, int filled = 4_000) =>
        new(rate, Latency(submittedP99 / 2, submittedP99), Latency(1, 2), cpu ?? Light, Latency(filledP50, filledP99, filled));

    /// <summary>A run inside every target: 480 /s against the peer's 300, 200/s at 40 ms p99 and 1.2 ms of CPU per order.</summary>
    private static BenchReport Report() => new(
        DateTimeOffset.Parse("2026-12-03T17:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "2 cores", 3_000,
        BareRoundTripsPerSecond: 5_000, OrdersSubmittedPerSecond: 480, OrdersFilledPerSecond: 470, Ratio: 0.096,
        BareBurstLatency: Latency(50, 90), SubmittedBurstLatency: Latency(500, 900),
        Rates: [Rate(200, submittedP99: 40, filledP50: 20, filledP99: 40)],
        IbkrCallsPerOrder: new Dictionary<string, double> { ["POST /v1/api/iserver/account/{accountId}/orders"] = 1.0, ["GET /v1/api/iserver/account/orders"] = 0.4 },
        ProcessorPeakMemoryMb: 250, BareBurstCpu: Light, SubmittedBurstCpu: Light,
        SubmittedBurstDatabase: new DatabaseWork(3, 5, 10, 9, 0, 0),
        LiveOrderReadsPerUserPerMinute: new ReadsResult(100, 100, TimeSpan.FromMinutes(2), 1.0, 1.0),
        Chaos: new ChaosResult(500, TimeSpan.FromSeconds(20), 300, 500, 0, 0, 0, []),
        Options: new BenchOptions(3_000, [200], TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20), 100, 1, "artifacts/bench", TimeSpan.FromMinutes(2), 500,
            TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60), LiveOrders: 10_000),
        WolverinePeer: new PeerResult(300, 4_000, Latency(1_000, 2_000), new Dictionary<string, double>(), 0.95, 6, null),
        PreloadedDatabase: new Preloaded(200_000, 400, 500, [Rate(200, submittedP99: 42, filledP50: 20, filledP99: 40)]),
        LiveOrders: new LiveOrdersResult(10_000, 10_000, 240, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(50), 0));
}
