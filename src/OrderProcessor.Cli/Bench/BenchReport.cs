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
    DatabaseWork SubmittedBurstDatabase)
{
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# OrderProcessor benchmark, {MeasuredAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(c, $"Machine: {Machine}. Same RabbitMQ for both sides; the simulator answers at once (no added latency).");
        md.AppendLine();
        md.AppendLine("| measure | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(c, $"| bare MassTransit round trip (command → consumer → event, no database) | {BareRoundTripsPerSecond:F0} /s |");
        md.AppendLine(c, $"| PlaceOrder → OrderSubmitted (whole system, {Orders} orders) | {OrdersSubmittedPerSecond:F0} /s |");
        md.AppendLine(c, $"| PlaceOrder → OrderFilled | {OrdersFilledPerSecond:F0} /s |");
        md.AppendLine(c, $"| **ratio to the bare round trip** | **{Ratio:F2}** |");
        md.AppendLine(c, $"| PostgreSQL per order in the burst | {SubmittedBurstDatabase.CommitsPerOrder:F2} commits, {SubmittedBurstDatabase.RowsInsertedPerOrder:F2} rows inserted, {SubmittedBurstDatabase.RowsUpdatedPerOrder:F2} updated |");
        md.AppendLine(c, $"| processor peak memory (VmHWM) | {(ProcessorPeakMemoryMb is { } mb ? mb.ToString("F0", c) + " MB" : "not measured")} |");
        md.AppendLine();
        md.AppendLine("| latency to OrderSubmitted (ms) | sent | p50 | p95 | p99 | max |");
        md.AppendLine("|---|---|---|---|---|---|");
        md.AppendLine(c, $"| bare round trip, burst | {BareBurstLatency.Count} | {BareBurstLatency.P50:F1} | {BareBurstLatency.P95:F1} | {BareBurstLatency.P99:F1} | {BareBurstLatency.Max:F1} |");
        md.AppendLine(c, $"| whole system, burst | {SubmittedBurstLatency.Count} | {SubmittedBurstLatency.P50:F1} | {SubmittedBurstLatency.P95:F1} | {SubmittedBurstLatency.P99:F1} | {SubmittedBurstLatency.Max:F1} |");
        foreach (var rate in Rates)
        {
            md.AppendLine(c, $"| whole system at {rate.Rate}/s | {rate.Latency.Count} | {rate.Latency.P50:F1} | {rate.Latency.P95:F1} | {rate.Latency.P99:F1} | {rate.Latency.Max:F1} |");
            md.AppendLine(c, $"| bare round trip at {rate.Rate}/s | {rate.BareLatency.Count} | {rate.BareLatency.P50:F1} | {rate.BareLatency.P95:F1} | {rate.BareLatency.P99:F1} | {rate.BareLatency.Max:F1} |");
        }

        md.AppendLine();
        md.AppendLine("| CPU per order or round trip, by process (ms) | machine busy | " + string.Join(" | ", CpuRoles) + " |");
        md.AppendLine("|---|---|" + string.Concat(CpuRoles.Select(_ => "---|")));
        md.AppendLine(CpuRow("bare round trip, burst", BareBurstCpu));
        md.AppendLine(CpuRow("whole system, burst", SubmittedBurstCpu));
        foreach (var rate in Rates)
        {
            md.AppendLine(CpuRow($"whole system at {rate.Rate}/s", rate.Cpu));
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

    private static string CpuRow(string name, CpuUse cpu) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {cpu.MachineBusyShare:P0} | {string.Join(" | ", CpuRoles.Select(r => cpu.MillisecondsPerOrder.TryGetValue(r, out var ms) ? ms.ToString("F2", CultureInfo.InvariantCulture) : "-"))} |");
}

/// <summary>Latency at one steady publishing rate.</summary>
public sealed record RateResult(int Rate, LatencyStats Latency, LatencyStats BareLatency, CpuUse Cpu);
