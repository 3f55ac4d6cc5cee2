using System.Globalization;
using System.Text.Json;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Bench;

/// <summary>
/// `orders bench` as README tells users to run it, made small: the deployable processor as a child process, the
/// simulator over HTTP, and the benchmark in a third process measuring both sides on the same broker.
/// </summary>
public sealed class When_the_benchmark_runs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();
    private readonly DirectoryInfo _reports = Directory.CreateTempSubdirectory("orders-bench-");
    private SimulatorUnderTest _simulator = null!;

    public async Task InitializeAsync()
    {
        await _servers.InitializeAsync();
        // The guard's per-IP budget is lifted for the bench (not what it measures): IBKR's per-IP limit in the simulator too.
        _simulator = new SimulatorUnderTest(new Dictionary<string, string?>
        {
            ["Simulator:PerIpRequestsPerSecond"] = "0",
            ["Simulator:FillMarketOrdersOnAccept"] = "true",
        }, overTcp: true);
    }

    [Fact]
    public async Task Should_report_the_whole_system_against_the_bare_round_trip_of_the_same_run()
    {
        await using var processor = await ProcessorProcess.StartAsync(_servers, _simulator,
            new Dictionary<string, string?> { ["Brokerage:Pacing:PerEgressIpPerSecond"] = "5000" });

        var (exit, text) = await OrdersCliProcess.RunAsync(_servers,
        [
            "bench", "--orders", "200", "--rates", "20", "--rate-seconds", "2", "--warmup", "1", "--users", "5",
            "--simulator", _simulator.BaseAddress!.ToString(), "--processor-pid", processor.ProcessId.ToString(CultureInfo.InvariantCulture),
            "--report-dir", _reports.FullName,
            "--reads-seconds", "6", "--chaos-orders", "20", "--chaos-drop-every", "2", "--chaos-seconds", "4",
        ], timeout: TimeSpan.FromMinutes(4));
        output.WriteLine(text);
        Assert.True(exit == 0, text);

        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Directory.GetFiles(_reports.FullName, "bench-*.json").Single()));
        var root = report.RootElement;
        var bare = root.GetProperty("bareRoundTripsPerSecond").GetDouble();
        var submitted = root.GetProperty("ordersSubmittedPerSecond").GetDouble();
        Assert.InRange(submitted, 1, bare);
        Assert.Equal(submitted / bare, root.GetProperty("ratio").GetDouble(), 6);
        Assert.Equal(200, root.GetProperty("submittedBurstLatency").GetProperty("count").GetInt32());
        Assert.Equal(40, root.GetProperty("rates")[0].GetProperty("latency").GetProperty("count").GetInt32());
        Assert.Equal(40, root.GetProperty("rates")[0].GetProperty("filledLatency").GetProperty("count").GetInt32());

        // The reads phase counted every user; the chaos phase found nothing missed, nothing twice, every order final.
        var reads = root.GetProperty("liveOrderReadsPerUserPerMinute");
        Assert.Equal(5, reads.GetProperty("users").GetInt32());
        output.WriteLine($"live-order reads per user per minute: mean {reads.GetProperty("meanPerUserPerMinute").GetDouble():F2}, max {reads.GetProperty("maxPerUserPerMinute").GetDouble():F2}, {reads.GetProperty("usersStreaming").GetInt32()}/5 streaming");
        var chaos = root.GetProperty("chaos");
        Assert.Equal(20, chaos.GetProperty("orders").GetInt32());
        Assert.Equal(0, chaos.GetProperty("fillsMissed").GetInt32());
        Assert.Equal(0, chaos.GetProperty("fillsCountedTwice").GetInt32());
        Assert.Equal(0, chaos.GetProperty("notFinal").GetInt32());

        // Every order placed once at IBKR: the run's placements per order, warm-up included.
        var placements = root.GetProperty("ibkrCallsPerOrder").GetProperty("POST /v1/api/iserver/account/{accountId}/orders").GetDouble();
        Assert.InRange(placements, 0.99, 1.01);

        var cpu = root.GetProperty("submittedBurstCpu").GetProperty("secondsByRole");
        Assert.True(cpu.GetProperty("processor").GetDouble() > 0, "the processor's CPU during the burst is measured");
        Assert.True(cpu.GetProperty("postgresql").GetDouble() > 0, "PostgreSQL's CPU during the burst is measured");
        Assert.True(root.GetProperty("processorPeakMemoryMb").GetDouble() > 10);

        // Each order is committed at least when consumed and when answered (claims and the relay batch their commits).
        Assert.True(root.GetProperty("submittedBurstDatabase").GetProperty("commitsPerOrder").GetDouble() >= 2);

        var markdown = await File.ReadAllTextAsync(Directory.GetFiles(_reports.FullName, "bench-*.md").Single());
        Assert.Contains("ratio to the bare round trip", markdown, StringComparison.Ordinal);
        Assert.Contains("CPU per order", markdown, StringComparison.Ordinal);
        Assert.Contains("PlaceOrder → OrderFilled", markdown, StringComparison.Ordinal);
        Assert.Contains("fills counted twice", markdown, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await _servers.DisposeAsync();
        _reports.Delete(recursive: true);
    }
}
