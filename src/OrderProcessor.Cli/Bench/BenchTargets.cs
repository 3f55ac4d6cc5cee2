using System.Globalization;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// The targets of the two performance issues (#15: faster than the Wolverine peer at a cost that does not grow with the
/// day; #12: fills over the websocket), each judged against a run's figures. A throughput or latency target not met
/// names what its phase used up: the machine's CPU (and how each process shared it) when the cores were busy, or none.
/// A target whose phase did not run says which option runs it.
/// </summary>
public static class BenchTargets
{
    /// <summary>The steady rate the targets are set at.</summary>
    public const int TargetRate = 200;

    /// <summary>A machine at least this busy over a phase had no CPU to spare: its figures are queueing for the cores.</summary>
    public const double SaturatedShare = 0.90;

    /// <summary>The size of a busy platform's day, the database the cost is measured on again.</summary>
    public const int DayOrders = 200_000;

    /// <summary>Orders live at once while the processor's memory is measured.</summary>
    public const int LiveOrders = 10_000;

    private const string Performance = "#15";
    private const string Websocket = "#12";
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static IReadOnlyList<TargetCheck> Judge(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var steady = report.Rates.FirstOrDefault(r => r.Rate == TargetRate);
        return
        [
            BurstAgainstPeer(report),
            steady is null
                ? NotRun(Performance, $"at a steady {TargetRate}/s: p99 to OrderSubmitted ≤ 50 ms", RatesOption)
                : Judged(Performance, $"at a steady {TargetRate}/s: p99 to OrderSubmitted ≤ 50 ms", Ms(steady.Latency.P99) + " ms", steady.Latency.P99 <= 50, steady.Cpu),
            steady is null
                ? NotRun(Performance, $"at a steady {TargetRate}/s: CPU per order across all processes ≤ 1.5 ms", RatesOption)
                : Judged(Performance, $"at a steady {TargetRate}/s: CPU per order across all processes ≤ 1.5 ms", CpuPerOrder(steady.Cpu), Total(steady.Cpu) <= 1.5, steady.Cpu),
            DayDatabase(report),
            IbkrCalls(report),
            Memory(report),
            steady is null
                ? NotRun(Websocket, $"at a steady {TargetRate}/s: PlaceOrder → OrderFilled p50 ≤ 50 ms and p99 ≤ 250 ms", RatesOption)
                : Judged(Websocket, $"at a steady {TargetRate}/s: PlaceOrder → OrderFilled p50 ≤ 50 ms and p99 ≤ 250 ms",
                    $"{Ms(steady.FilledLatency.P50)} / {Ms(steady.FilledLatency.P99)} ms ({steady.FilledLatency.Count} of {steady.Latency.Count} filled within 30 s)",
                    steady.FilledLatency.P50 <= 50 && steady.FilledLatency.P99 <= 250 && steady.FilledLatency.Count == steady.Latency.Count, steady.Cpu),
            Reads(report.LiveOrderReadsPerUserPerMinute),
            report.Chaos is { } chaos
                ? new TargetCheck(Websocket, "every socket dropped every 20 s during 500 orders: 0 fills missed, 0 counted twice, every order final",
                    string.Create(C, $"{chaos.SocketsDropped} drops (every {chaos.DropEvery.TotalSeconds:F0} s) during {chaos.Orders} orders: {chaos.FillsMissed} missed, {chaos.FillsCountedTwice} counted twice, {chaos.NotFinal} not final"),
                    !chaos.Clean ? TargetVerdict.NotMet
                        : chaos.Orders >= 500 && chaos.DropEvery <= TimeSpan.FromSeconds(20) && chaos.SocketsDropped > 0 ? TargetVerdict.Met : TargetVerdict.NotMeasured)
                : NotRun(Websocket, "every socket dropped every 20 s during 500 orders: 0 fills missed, 0 counted twice, every order final", "--chaos-orders"),
        ];
    }

    /// <summary>
    /// Reads per user per minute, judged on a window of a minute at least: the safety net reads a user's live orders once
    /// a minute (Lifecycle:SafetyPollInterval), so a shorter window can count none and say nothing.
    /// </summary>
    private static TargetCheck Reads(ReadsResult? reads)
    {
        const string target = "REST reads of live orders per user per minute, socket healthy, ≤ 1";
        if (reads is null)
        {
            return NotRun(Websocket, target, "--reads-seconds");
        }

        var measured = string.Create(C, $"mean {reads.MeanPerUserPerMinute:F2}, max {reads.MaxPerUserPerMinute:F2} over {reads.Window.TotalSeconds:F0} s ({reads.UsersStreaming} of {reads.Users} users streaming)");
        return new TargetCheck(Websocket, target, measured,
            reads.MeanPerUserPerMinute > 1 || reads.UsersStreaming < reads.Users ? TargetVerdict.NotMet
            : reads.Window >= TimeSpan.FromMinutes(1) ? TargetVerdict.Met : TargetVerdict.NotMeasured);
    }

    private const string RatesOption = "--rates including 200";

    private static TargetCheck BurstAgainstPeer(BenchReport report)
    {
        const string target = "burst PlaceOrder → OrderSubmitted ≥ 1.5× the Wolverine peer's orders/s";
        return report.WolverinePeer switch
        {
            null => NotRun(Performance, target, "--peer"),
            { Error: { } error } => new TargetCheck(Performance, target, "the peer failed: " + error, TargetVerdict.NotMeasured),
            { OrdersPerSecond: > 0 and var theirs } => Judged(Performance, target,
                string.Create(C, $"{report.OrdersSubmittedPerSecond:F0} /s against {theirs:F0} /s: {report.OrdersSubmittedPerSecond / theirs:F2}×"),
                report.OrdersSubmittedPerSecond >= 1.5 * theirs, report.SubmittedBurstCpu),
            _ => new TargetCheck(Performance, target, "the peer reported no rate", TargetVerdict.NotMeasured),
        };
    }

    /// <summary>The figures at the target rate (or the fastest rate measured both ways) on the preloaded database against the empty one.</summary>
    private static TargetCheck DayDatabase(BenchReport report)
    {
        var target = string.Create(C, $"the steady-rate figures (p99 to OrderSubmitted, CPU per order) on a database of {DayOrders:N0} orders within 10 % of the empty one");
        if (report.PreloadedDatabase is not { } day)
        {
            return NotRun(Performance, target, "--preload-orders 200000");
        }

        var pairs = day.Rates.Select(after => (Before: report.Rates.FirstOrDefault(r => r.Rate == after.Rate), After: after))
            .Where(p => p.Before is not null).OrderByDescending(p => p.After.Rate == TargetRate).ThenByDescending(p => p.After.Rate).ToList();
        if (pairs.Count == 0)
        {
            return new TargetCheck(Performance, target, "no steady rate measured on both databases", TargetVerdict.NotMeasured);
        }

        var (before, after) = pairs[0];
        var measured = string.Create(C,
            $"at {after.Rate}/s on {day.Orders:N0} orders: p99 {Ms(before!.Latency.P99)} → {Ms(after.Latency.P99)} ms ({Change(before.Latency.P99, after.Latency.P99)}), CPU per order {Total(before.Cpu):F2} → {Total(after.Cpu):F2} ms ({Change(Total(before.Cpu), Total(after.Cpu))})");
        if (day.Orders < DayOrders || after.Rate != TargetRate)
        {
            return new TargetCheck(Performance, target, measured + string.Create(C, $"; the target asks {DayOrders:N0} orders at {TargetRate}/s"), TargetVerdict.NotMeasured);
        }

        return Judged(Performance, target, measured,
            after.Latency.P99 <= 1.1 * before.Latency.P99 && Total(after.Cpu) <= 1.1 * Total(before.Cpu), after.Cpu);
    }

    /// <summary>
    /// Calls per order placed in the run, without the reconciliation reads (live orders, trades, an order's status) and
    /// without the calls of cancels and modifications (the run's resting orders are cancelled, which no market order is).
    /// </summary>
    private static TargetCheck IbkrCalls(BenchReport report)
    {
        var counted = report.IbkrCallsPerOrder.Where(c => !IsReconciliationOrAmendment(c.Key)).ToList();
        var perOrder = counted.Sum(c => c.Value);
        var placements = report.IbkrCallsPerOrder.Where(c => c.Key.StartsWith("POST ", StringComparison.Ordinal) && c.Key.EndsWith("/orders", StringComparison.Ordinal)).Sum(c => c.Value);
        return new TargetCheck(Performance, "IBKR calls per market order ≤ 1.05, reconciliation reads excluded",
            string.Create(C, $"{perOrder:F3} ({placements:F3} placements, {perOrder - placements:F3} sessions, accounts and questions; warm-up included)"),
            report.IbkrCallsPerOrder.Count == 0 ? TargetVerdict.NotMeasured : perOrder <= 1.05 ? TargetVerdict.Met : TargetVerdict.NotMet);
    }

    /// <summary>Whether an endpoint's calls are a reconciliation read, or a cancel's or a modification's, not a placement's.</summary>
    public static bool IsReconciliationOrAmendment(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.StartsWith("DELETE ", StringComparison.Ordinal)
            || endpoint.EndsWith("/iserver/account/orders", StringComparison.Ordinal)
            || endpoint.EndsWith("/iserver/account/trades", StringComparison.Ordinal)
            || endpoint.Contains("/order/status/", StringComparison.Ordinal)
            || (endpoint.StartsWith("POST ", StringComparison.Ordinal) && endpoint.EndsWith("/order/{orderId}", StringComparison.Ordinal));
    }

    private static TargetCheck Memory(BenchReport report)
    {
        var target = string.Create(C, $"processor peak RSS ≤ 300 MB, under the benchmark and with {LiveOrders:N0} live orders");
        if (report.ProcessorPeakMemoryMb is not { } peak)
        {
            return NotRun(Performance, target, "--processor-pid");
        }

        var live = report.LiveOrders is { } l
            ? string.Create(C, $"; with {l.Working:N0} of {l.Orders:N0} live: {(l.RssMb is { } rss ? rss.ToString("F0", C) + " MB" : "not measured")}")
            : "; no live-orders phase (--live-orders)";
        var measured = string.Create(C, $"peak {peak:F0} MB{live}");
        return peak > 300 ? new TargetCheck(Performance, target, measured, TargetVerdict.NotMet)
            : report.LiveOrders is { Orders: >= LiveOrders } all && all.Working == all.Orders ? new TargetCheck(Performance, target, measured, TargetVerdict.Met)
            : new TargetCheck(Performance, target, measured, TargetVerdict.NotMeasured);
    }

    private static TargetCheck Judged(string issue, string target, string measured, bool met, CpuUse phase) =>
        new(issue, target, measured, met ? TargetVerdict.Met : TargetVerdict.NotMet, met ? null : Saturation(phase));

    private static TargetCheck NotRun(string issue, string target, string option) =>
        new(issue, target, $"not measured (run with {option})", TargetVerdict.NotMeasured);

    /// <summary>What a phase used up: the cores when the machine was at least <see cref="SaturatedShare"/> busy, with each process's share.</summary>
    public static string Saturation(CpuUse phase)
    {
        ArgumentNullException.ThrowIfNull(phase);
        var shares = string.Join(", ", phase.MillisecondsPerOrder.OrderByDescending(r => r.Value).Select(r => string.Create(C, $"{r.Key} {r.Value:F2}")));
        return phase.MachineBusyShare >= SaturatedShare
            ? string.Create(C, $"CPU: the machine {phase.MachineBusyShare:P0} busy; {Total(phase):F2} ms per order ({shares})")
            : string.Create(C, $"none: the machine {phase.MachineBusyShare:P0} busy ({Total(phase):F2} ms of CPU per order: {shares}); the time is the path's own");
    }

    private static double Total(CpuUse cpu) => cpu.MillisecondsPerOrder.Values.Sum();

    private static string CpuPerOrder(CpuUse cpu) => string.Create(C,
        $"{Total(cpu):F2} ms (processor, PostgreSQL and RabbitMQ {cpu.MillisecondsPerOrder.Where(r => r.Key is "processor" or "postgresql" or "rabbitmq").Sum(r => r.Value):F2} ms)");

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("F1", C);

    private static string Change(double before, double after) => before > 0 ? string.Create(C, $"{(after - before) / before:+0%;-0%;0%}") : "-";
}
