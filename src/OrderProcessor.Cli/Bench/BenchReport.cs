using System.Globalization;
using System.Text;

namespace OrderProcessor.Cli.Bench;

/// <summary>The benchmark's figures, written as JSON and Markdown.</summary>
public sealed record BenchReport(
    DateTimeOffset MeasuredAt,
    string Machine,
    int Orders,
    double BareRoundTripsPerSecond,
    double OrdersSubmittedPerSecond,
    double OrdersFilledPerSecond,
    double Ratio,
    LatencyStats BareBurstLatency,
    LatencyStats SubmittedBurstLatency,
    IReadOnlyList<RateResult> Rates,
    IReadOnlyDictionary<string, double> IbkrCallsPerOrder,
    double? ProcessorPeakMemoryMb,
    CpuUse BareBurstCpu,
    CpuUse SubmittedBurstCpu,
    DatabaseWork SubmittedBurstDatabase,
    ReadsResult? LiveOrderReadsPerUserPerMinute,
    ChaosResult? Chaos,
    BenchOptions Options,
    PeerResult? WolverinePeer = null,
    Preloaded? PreloadedDatabase = null,
    ProcessorWarmup? ProcessorWarmup = null,
    LiveOrdersResult? LiveOrders = null)
{
    /// <summary>This processor's burst over the Wolverine peer's (orders per second to OrderSubmitted); null without the peer.</summary>
    public double? RatioToPeer => WolverinePeer?.OrdersPerSecond is > 0 and var peer ? OrdersSubmittedPerSecond / peer : null;

    /// <summary>The performance issues' targets judged against this run (<see cref="BenchTargets"/>).</summary>
    public IReadOnlyList<TargetCheck> Targets => BenchTargets.Judge(this);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# OrderProcessor benchmark, {MeasuredAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(c, $"Machine: {Machine}. Same RabbitMQ for both sides; the simulator answers at once (no added latency).");
        md.AppendLine();
        md.AppendLine(c, $"Options: --orders {Options.Orders} --rates {string.Join(',', Options.Rates)} --warmup {Options.Warmup.TotalSeconds:F0} --rate-seconds {Options.RateDuration.TotalSeconds:F0} --users {Options.Users} --reads-seconds {Options.ReadsWindow.TotalSeconds:F0} --chaos-orders {Options.ChaosOrders} --chaos-drop-every {Options.ChaosDropEvery.TotalSeconds:F0} --chaos-seconds {Options.ChaosSpread.TotalSeconds:F0} --live-orders {Options.LiveOrders} --preload-orders {Options.PreloadOrders}.");
        md.AppendLine();
        if (ProcessorWarmup is { } warmup)
        {
            md.AppendLine(c, $"Processor warm-up: {warmup.Seconds:F0} s ({warmup.Extended:F0} s after `--warmup` while its JIT still recompiled; {(warmup.JitQuiet ? "then quiet" : "still busy at the cap")}, last {ProcessorWarmup.Window.TotalSeconds:F0} s: {(warmup.LastJitShare is { } share ? share.ToString("P0", c) : "not measured")} of its CPU); the Wolverine peer gets as long.");
            md.AppendLine();
        }

        md.AppendLine("| target | issue | measured | verdict | saturated |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var target in Targets)
        {
            var verdict = target.Verdict switch { TargetVerdict.Met => "met", TargetVerdict.NotMet => "**not met**", _ => "not measured" };
            md.AppendLine(c, $"| {target.Target} | {target.Issue} | {target.Measured.Replace('|', '/')} | {verdict} | {target.Saturated ?? ""} |");
        }

        md.AppendLine();
        md.AppendLine("| measure | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(c, $"| bare MassTransit round trip (command → consumer → event, no database) | {BareRoundTripsPerSecond:F0} /s |");
        md.AppendLine(c, $"| PlaceOrder → OrderSubmitted (whole system, {Orders} orders) | {OrdersSubmittedPerSecond:F0} /s |");
        md.AppendLine(c, $"| PlaceOrder → OrderFilled | {OrdersFilledPerSecond:F0} /s |");
        md.AppendLine(c, $"| **ratio to the bare round trip** | **{Ratio:F2}** |");
        if (WolverinePeer is { } peer)
        {
            md.AppendLine(peer.Error is null
                ? string.Create(c, $"| Wolverine peer PlaceOrder → OrderSubmitted ({Orders} orders; its bare Wolverine round trip {peer.BareRoundTripsPerSecond:F0} /s) | {peer.OrdersPerSecond:F0} /s |")
                : $"| Wolverine peer | failed: {peer.Error.Replace('|', '/')} |");
            md.AppendLine(c, $"| **ratio to the Wolverine peer** | **{(RatioToPeer is { } ratio ? ratio.ToString("F2", c) : "-")}** |");
        }

        md.AppendLine(c, $"| PostgreSQL per order in the burst | {SubmittedBurstDatabase.CommitsPerOrder:F2} commits, {SubmittedBurstDatabase.RowsInsertedPerOrder:F2} rows inserted, {SubmittedBurstDatabase.RowsUpdatedPerOrder:F2} updated; WAL {Wal(SubmittedBurstDatabase)} |");
        if (WolverinePeer is { Error: null, CommitsPerOrder: { } peerCommits })
        {
            md.AppendLine(c, $"| Wolverine peer: PostgreSQL commits per order in its burst | {peerCommits:F2} |");
        }

        md.AppendLine(c, $"| processor peak memory (VmHWM) | {(ProcessorPeakMemoryMb is { } mb ? mb.ToString("F0", c) + " MB" : "not measured")} |");
        if (LiveOrders is { } live)
        {
            md.AppendLine(c, $"| processor resident set with {live.Working} of {live.Orders} resting orders live (the most over {live.Sampled.TotalSeconds:F0} s; placed in {live.Placing.TotalSeconds:F0} s, {live.NotFinal} not final after their cancels) | {(live.RssMb is { } rss ? rss.ToString("F0", c) + " MB" : "not measured")} |");
        }
        md.AppendLine();
        md.AppendLine("| latency to OrderSubmitted (ms) | sent | p50 | p95 | p99 | max |");
        md.AppendLine("|---|---|---|---|---|---|");
        md.AppendLine(c, $"| bare round trip, burst | {BareBurstLatency.Count} | {BareBurstLatency.P50:F1} | {BareBurstLatency.P95:F1} | {BareBurstLatency.P99:F1} | {BareBurstLatency.Max:F1} |");
        if (WolverinePeer?.Latency is { } peerLatency)
        {
            md.AppendLine(c, $"| Wolverine peer, burst | {peerLatency.Count} | {peerLatency.P50:F1} | {peerLatency.P95:F1} | {peerLatency.P99:F1} | {peerLatency.Max:F1} |");
        }

        md.AppendLine(c, $"| whole system, burst | {SubmittedBurstLatency.Count} | {SubmittedBurstLatency.P50:F1} | {SubmittedBurstLatency.P95:F1} | {SubmittedBurstLatency.P99:F1} | {SubmittedBurstLatency.Max:F1} |");
        foreach (var rate in Rates)
        {
            md.AppendLine(c, $"| whole system at {rate.Rate}/s | {rate.Latency.Count} | {rate.Latency.P50:F1} | {rate.Latency.P95:F1} | {rate.Latency.P99:F1} | {rate.Latency.Max:F1} |");
            md.AppendLine(c, $"| bare round trip at {rate.Rate}/s | {rate.BareLatency.Count} | {rate.BareLatency.P50:F1} | {rate.BareLatency.P95:F1} | {rate.BareLatency.P99:F1} | {rate.BareLatency.Max:F1} |");
        }

        md.AppendLine();
        md.AppendLine("| latency PlaceOrder → OrderFilled (ms; market orders, the simulator fills on accept) | filled | p50 | p95 | p99 | max |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var rate in Rates)
        {
            var f = rate.FilledLatency;
            md.AppendLine(c, $"| whole system at {rate.Rate}/s | {f.Count} of {rate.Latency.Count} | {f.P50:F1} | {f.P95:F1} | {f.P99:F1} | {f.Max:F1} |");
        }

        if (LiveOrderReadsPerUserPerMinute is { } reads)
        {
            md.AppendLine();
            md.AppendLine("| steady-state REST reads of live orders per user per minute (one resting order per user, socket healthy) | value |");
            md.AppendLine("|---|---|");
            md.AppendLine(c, $"| users streaming when counting began | {reads.UsersStreaming} of {reads.Users} |");
            md.AppendLine(c, $"| window | {reads.Window.TotalMinutes:F1} min |");
            md.AppendLine(c, $"| mean per user | {reads.MeanPerUserPerMinute:F2} |");
            md.AppendLine(c, $"| max per user | {reads.MaxPerUserPerMinute:F2} |");
        }

        if (Chaos is { } chaos)
        {
            md.AppendLine();
            md.AppendLine(c, $"| chaos: every socket dropped every {chaos.DropEvery.TotalSeconds:F0} s during {chaos.Orders} orders | value |");
            md.AppendLine("|---|---|");
            md.AppendLine(c, $"| sockets dropped | {chaos.SocketsDropped} |");
            md.AppendLine(c, $"| orders with fills at IBKR | {chaos.OrdersFilledAtIbkr} |");
            md.AppendLine(c, $"| fills missed | {chaos.FillsMissed} |");
            md.AppendLine(c, $"| fills counted twice | {chaos.FillsCountedTwice} |");
            md.AppendLine(c, $"| orders not final | {chaos.NotFinal} |");
            foreach (var example in chaos.Examples)
            {
                md.AppendLine(c, $"| example | {example} |");
            }
        }

        md.AppendLine();
        md.AppendLine("| CPU per order or round trip, by process (ms) | machine busy | " + string.Join(" | ", CpuRoles) + " | of the processor's: its JIT's tiering thread |");
        md.AppendLine("|---|---|" + string.Concat(CpuRoles.Select(_ => "---|")) + "---|");
        md.AppendLine(CpuRow("bare round trip, burst", BareBurstCpu));
        md.AppendLine(CpuRow("whole system, burst", SubmittedBurstCpu));
        foreach (var rate in Rates)
        {
            md.AppendLine(CpuRow($"whole system at {rate.Rate}/s", rate.Cpu));
        }

        if (WolverinePeer is { Error: null, CpuMillisecondsPerOrder.Count: > 0 } p)
        {
            // The peer's one process holds its driver and its Wolverine application; its stub broker stands for the simulator.
            string Ms(string role) => p.CpuMillisecondsPerOrder.TryGetValue(role, out var ms) ? ms.ToString("F2", c) : "-";
            md.AppendLine(c, $"| Wolverine peer, burst (its one process: processor column) | {p.MachineBusyShare:P0} | {Ms("probe_process")} | {Ms("postgresql")} | {Ms("rabbitmq")} | {Ms("stub_broker")} | - |");
        }

        if (PreloadedDatabase is { } day)
        {
            md.AppendLine();
            md.AppendLine(c, $"| steady rates before and after preloading {day.Orders} final orders ({day.Users} users, {day.PerUser} each; inbox rows and retained events included) | to OrderSubmitted p50 / p99 (ms) | to OrderFilled p50 / p99 (ms) | CPU per order, all processes (ms) | processor / PostgreSQL (ms) | machine busy | PostgreSQL per order: WAL (KiB), of it full-page images; checkpoints in the phase |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var after in day.Rates)
            {
                if (Rates.FirstOrDefault(r => r.Rate == after.Rate) is { } before)
                {
                    md.AppendLine(PreloadRow($"at {before.Rate}/s, before", before));
                }

                md.AppendLine(PreloadRow($"at {after.Rate}/s, preloaded", after));
            }
        }

        md.AppendLine();
        md.AppendLine("| IBKR calls per order (whole run, warm-up included; live orders are status polls) | calls |");
        md.AppendLine("|---|---|");
        foreach (var (endpoint, perOrder) in IbkrCallsPerOrder.OrderByDescending(e => e.Value))
        {
            md.AppendLine(c, $"| {endpoint} | {perOrder:F3} |");
        }

        return md.ToString();
    }

    private static readonly string[] CpuRoles = ["processor", "postgresql", "rabbitmq", "simulator", "benchmark"];

    private static string PreloadRow(string name, RateResult rate)
    {
        double Ms(string role) => rate.Cpu.MillisecondsPerOrder.GetValueOrDefault(role);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {rate.Latency.P50:F1} / {rate.Latency.P99:F1} | {rate.FilledLatency.P50:F1} / {rate.FilledLatency.P99:F1} | {rate.Cpu.MillisecondsPerOrder.Values.Sum():F2} | {Ms("processor"):F2} / {Ms("postgresql"):F2} | {rate.Cpu.MachineBusyShare:P0} | {Wal(rate.Database)} |");
    }

    private static string Wal(DatabaseWork? work) => work is null
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{work.WalKilobytesPerOrder:F1} KiB, {work.FullPageImagesPerOrder:F2} full-page images; {work.Checkpoints} checkpoint(s)");

    private static string CpuRow(string name, CpuUse cpu) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {cpu.MachineBusyShare:P0} | {string.Join(" | ", CpuRoles.Select(r => cpu.MillisecondsPerOrder.TryGetValue(r, out var ms) ? ms.ToString("F2", CultureInfo.InvariantCulture) : "-"))} | {(cpu.ProcessorJitMillisecondsPerOrder is { } jit ? jit.ToString("F2", CultureInfo.InvariantCulture) : "-")} |");
}

/// <summary>
/// Latency at one steady publishing rate: Latency to OrderSubmitted, FilledLatency to OrderFilled (orders not filled
/// within 30 s of the last send are not counted).
/// <see cref="Database"/>: PostgreSQL's work per order at that rate (the whole system's phase, not the bare one).
/// </summary>
public sealed record RateResult(int Rate, LatencyStats Latency, LatencyStats BareLatency, CpuUse Cpu, LatencyStats FilledLatency, DatabaseWork? Database = null);
