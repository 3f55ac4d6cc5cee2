using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MassTransit;
using OrderProcessor.Cli.Demo;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using OrderProcessor.Infrastructure;
using Spectre.Console;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// Measures the whole system (PlaceOrder through the processor, IBKR simulated with no added latency, to OrderSubmitted
/// and OrderFilled) and, in the same run on the same broker, the bare MassTransit round trip (command → consumer → event,
/// no database) as the reference, and after this processor's phases the Wolverine peer's burst of the same size
/// (<see cref="WolverinePeerRun"/>) while the processor is idle. Every side is warmed up first.
/// </summary>
public sealed class BenchRunner(CliSettings settings, SimulatorClient simulator, BenchOptions options)
{
    private const int Conid = 265598;
    private const int InFlight = 256;
    private Stopwatches _pongs = new();
    private Stopwatches _submitted = new();
    private Stopwatches _filled = new();
    private readonly OrderEventLog _events = new();

    // The benchmark's orders are all meant to be accepted: a rejection (a control the run did not lift, a slow processor
    // leaving more than 20 orders of an account working) is named when a wait times out.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, string> _rejections = new();

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var users = Enumerable.Range(1, options.Users).Select(i => ($"bench-{i:D3}", $"DU9{i:D6}")).ToList();
        foreach (var (user, account) in users)
        {
            await simulator.RegisterUserAsync(user, account, cancellationToken);
        }

        var price = await simulator.PriceOfAsync(Conid, cancellationToken);
        await simulator.PinPriceAsync(Conid, price, cancellationToken);
        await using var bus = await CliBus.StartAsync(settings, rabbit =>
        {
            rabbit.ReceiveEndpoint("orderprocessor-bench-ping", endpoint =>
            {
                endpoint.UseConfiguredQueueType(settings.RabbitMq);
                endpoint.PrefetchCount = 128;
                endpoint.Consumer<BenchPingConsumer>();
            });
            rabbit.ReceiveEndpoint(new TemporaryEndpointDefinition("orderprocessor-bench"), endpoint =>
            {
                endpoint.PrefetchCount = 256;
                endpoint.Handler<BenchPong>(c => { _pongs.Stop(c.Message.Id); return Task.CompletedTask; });
                endpoint.Handler<OrderSubmitted>(c => { _submitted.Stop(c.Message.OrderId); return Task.CompletedTask; });
                endpoint.Handler<OrderFilled>(c => { _filled.Stop(c.Message.OrderId); _events.Record(c.Message); return Task.CompletedTask; });
                endpoint.Handler<OrderPartiallyFilled>(c => { _events.Record(c.Message); return Task.CompletedTask; });
                endpoint.Handler<OrderRejected>(c => { _rejections[c.Message.OrderId] = $"{c.Message.ReasonCode}: {c.Message.Reason}"; return Task.CompletedTask; });
            });
        }, cancellationToken);

        var next = 0;
        Task Ping(Guid id) => bus.Publisher.Publish(new BenchPing(id), cancellationToken);
        Task Place(Guid id)
        {
            var (user, account) = users[Interlocked.Increment(ref next) % users.Count];
            return bus.Publisher.Publish(new PlaceOrder
            {
                OrderId = id,
                UserId = user,
                AccountId = account,
                Conid = Conid,
                Side = OrderSide.Buy,
                Quantity = 1,
                OrderType = OrderType.Market,
                TimeInForce = TimeInForce.Day,
            }, cancellationToken);
        }

        var callsBefore = await simulator.CallsByEndpointAsync(cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"[grey]warming up both sides for {options.Warmup.TotalSeconds:F0} s each[/]");
        await WarmUpAsync(Ping, () => _pongs = new Stopwatches(), options.Warmup, cancellationToken);
        var (placed, warmup) = await WarmUpProcessorAsync(Place, cancellationToken);

        _pongs = new Stopwatches();
        var cpuBefore = CpuSnapshot.Take(options.ProcessorPid);
        var bare = await BurstAsync("bare round trip", options.Orders, Ping, _pongs, cancellationToken);
        var bareCpu = CpuSnapshot.Take(options.ProcessorPid).Since(cpuBefore, options.Orders);
        (_submitted, _filled) = (new Stopwatches(), new Stopwatches());
        cpuBefore = CpuSnapshot.Take(options.ProcessorPid);
        var databaseBefore = await DatabaseActivity.ReadAsync(settings.ConnectionString, cancellationToken);
        var submitted = await BurstAsync("PlaceOrder → OrderSubmitted", options.Orders, Place, _submitted, cancellationToken, _filled);
        var submittedCpu = CpuSnapshot.Take(options.ProcessorPid).Since(cpuBefore, options.Orders);
        var database = (await DatabaseActivity.ReadAsync(settings.ConnectionString, cancellationToken)).Since(databaseBefore, options.Orders);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"PostgreSQL per order: {database.CommitsPerOrder:F2} commits, {database.RowsInsertedPerOrder:F2} rows inserted, {database.RowsUpdatedPerOrder:F2} updated");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"CPU during the burst: machine {submittedCpu.MachineBusyShare:P0} busy; {string.Join(", ", submittedCpu.MillisecondsPerOrder.Select(r => $"{r.Key} {r.Value:F2} ms"))} per order{(submittedCpu.ProcessorJitMillisecondsPerOrder is { } jit ? $" (of the processor's, its JIT's tiering thread {jit:F2} ms)" : "")}");
        var filledPerSecond = await FilledThroughputAsync(submitted.Started, cancellationToken);
        placed += options.Orders;

        // The same start for both sets of steady rates, this one and the preloaded database's.
        if (options.PreloadOrders > 0)
        {
            placed += await SettleAsync(Place, cancellationToken);
        }

        var rates = await RatesAsync(Place, Ping, cancellationToken);
        placed += rates.Sum(r => r.Latency.Count);

        ReadsResult? reads = null;
        if (options.ReadsWindow > TimeSpan.Zero)
        {
            reads = await new RestReadsPhase(settings, simulator, bus.Publisher, () => _submitted = new Stopwatches())
                .RunAsync(users, Conid, price, options.ReadsWindow, cancellationToken);
            placed += users.Count;
        }

        ChaosResult? chaos = null;
        if (options.ChaosOrders > 0)
        {
            chaos = await new StreamChaosPhase(settings, simulator, bus.Publisher, _events)
                .RunAsync(users, Conid, price, options.ChaosOrders, options.ChaosDropEvery, options.ChaosSpread, cancellationToken);
            placed += options.ChaosOrders;
        }

        LiveOrdersResult? live = null;
        if (options.LiveOrders > 0)
        {
            live = await new LiveOrdersPhase(settings, simulator, bus.Publisher, () => _submitted = new Stopwatches())
                .RunAsync(users, options.LiveOrders, options.ProcessorPid, cancellationToken);
            placed += options.LiveOrders;
        }

        // The peer after this processor's phases (its own database's clean-up work afterwards, autovacuum included,
        // measured once inside this processor's steady rates) and before the preload.
        var peer = await RunPeerAsync(submitted.PerSecond, TimeSpan.FromSeconds(warmup.Seconds), cancellationToken);
        Preloaded? preloaded = null;
        if (options.PreloadOrders > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]preloading {options.PreloadOrders} final orders, {options.PreloadPerUser} per user (a day of a busy platform)[/]");
            var preloadUsers = await DayPreload.RunAsync(settings.ConnectionString, options.PreloadOrders, options.PreloadPerUser, users, cancellationToken);
            placed += await SettleAsync(Place, cancellationToken);
            AnsiConsole.MarkupLine("[grey]the steady rates again, on the preloaded database[/]");
            var again = await RatesAsync(Place, Ping, cancellationToken);
            placed += again.Sum(r => r.Latency.Count);
            preloaded = new Preloaded(options.PreloadOrders, preloadUsers, options.PreloadPerUser, again);
        }

        // Every order placed in the run (warm-up included) against every call the simulator answered meanwhile; status
        // polls (live orders) are listed but are per user and interval, not per order.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var callsAfter = await simulator.CallsByEndpointAsync(cancellationToken);
        var calls = callsAfter.Where(c => c.Key.Contains("/iserver/", StringComparison.Ordinal) || c.Key.Contains("bearer", StringComparison.Ordinal))
            .ToDictionary(c => c.Key, c => (double)(c.Value - callsBefore.GetValueOrDefault(c.Key)) / placed)
            .Where(c => c.Value > 0).ToDictionary();
        var report = new BenchReport(DateTimeOffset.UtcNow, MachineDescription(), options.Orders, bare.PerSecond, submitted.PerSecond, filledPerSecond,
            submitted.PerSecond / bare.PerSecond, bare.Latency, submitted.Latency, rates, calls, PeakMemoryMb(live), bareCpu, submittedCpu, database,
            reads, chaos, options, peer, preloaded, warmup, live);
        Directory.CreateDirectory(options.ReportDirectory);
        var stem = Path.Combine(options.ReportDirectory, $"bench-{report.MeasuredAt:yyyyMMdd-HHmmss}");
        await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), cancellationToken);
        await File.WriteAllTextAsync(stem + ".md", report.ToMarkdown(), cancellationToken);
        Console.WriteLine();
        Console.WriteLine(report.ToMarkdown());
        AnsiConsole.MarkupLineInterpolated($"[grey]report: {stem}.md and .json[/]");
        if (chaos is { Clean: false })
        {
            ConsoleFor.Errors.MarkupLine("[red]chaos phase: fills missed, counted twice or orders not final (see the report)[/]");
            return ExitCodes.Failed;
        }

        return ExitCodes.Success;
    }

    /// <summary>Each steady rate in turn: the whole system, then the bare round trip at the same rate.</summary>
    private async Task<List<RateResult>> RatesAsync(Func<Guid, Task> place, Func<Guid, Task> ping, CancellationToken cancellationToken)
    {
        var rates = new List<RateResult>();
        foreach (var rate in options.Rates)
        {
            var cpuBefore = CpuSnapshot.Take(options.ProcessorPid);
            var databaseBefore = await DatabaseActivity.ReadAsync(settings.ConnectionString, cancellationToken);
            var (full, filled) = await SteadyAsync(rate, place, () => (_submitted, _filled) = (new Stopwatches(), new Stopwatches()), () => _submitted, cancellationToken, () => _filled);
            var cpu = CpuSnapshot.Take(options.ProcessorPid).Since(cpuBefore, full.Count);
            var database = (await DatabaseActivity.ReadAsync(settings.ConnectionString, cancellationToken)).Since(databaseBefore, full.Count);
            var (reference, _) = await SteadyAsync(rate, ping, () => _pongs = new Stopwatches(), () => _pongs, cancellationToken);
            rates.Add(new RateResult(rate, full, reference, cpu, filled, database));
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"at {rate}/s: whole system p50 {full.P50:F1} ms p99 {full.P99:F1} ms; to OrderFilled p50 {filled.P50:F1} ms p99 {filled.P99:F1} ms ({filled.Count} filled); bare p50 {reference.P50:F1} ms p99 {reference.P99:F1} ms; PostgreSQL {database.WalKilobytesPerOrder:F1} KiB of WAL per order");
        }

        return rates;
    }

    /// <summary>
    /// The Wolverine peer's burst, in the same run as ours (the processor idle meanwhile), when its folder is there. A peer
    /// that fails is reported as such; it does not fail the benchmark.
    /// </summary>
    private async Task<PeerResult?> RunPeerAsync(double oursPerSecond, TimeSpan warmup, CancellationToken cancellationToken)
    {
        if (WolverinePeerRun.ScriptIn(options.PeerDirectory) is not { } script)
        {
            if (!string.IsNullOrEmpty(options.PeerDirectory))
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]the Wolverine peer is not at {options.PeerDirectory} (no run.sh): not compared[/]");
            }

            return null;
        }

        // The peer is warmed up as long as this processor was, extension included.
        AnsiConsole.MarkupLineInterpolated($"[grey]the Wolverine peer: {options.Orders} orders after {warmup.TotalSeconds:F0} s of warm-up ({script})[/]");
        var peer = await WolverinePeerRun.RunAsync(script, options.Orders, warmup, TimeSpan.FromMinutes(20), cancellationToken);
        if (peer.Error is { } error)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]the Wolverine peer failed: {error}[/]");
        }
        else if (peer.OrdersPerSecond is > 0 and var theirs)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"Wolverine peer PlaceOrder → OrderSubmitted: {theirs:F0}/s; this processor {oursPerSecond:F0}/s = {oursPerSecond / theirs:F2}× the peer");
        }

        return peer;
    }

    /// <summary>
    /// The processor's warm-up: <c>--warmup</c>, then on in windows while its JIT's tiering thread takes more than
    /// <see cref="ProcessorWarmup.QuietShare"/> of its CPU, for at most one more <c>--warmup</c>. On two cores shared with
    /// PostgreSQL and RabbitMQ the optimised versions of hot methods come late: a profile after 20 s of warm-up found the
    /// tiering thread at 15 % of the processor's CPU in the burst.
    /// </summary>
    private async Task<(int Sent, ProcessorWarmup Warmup)> WarmUpProcessorAsync(Func<Guid, Task> place, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var sent = await WarmUpAsync(place, FreshOrderWatches, options.Warmup, cancellationToken);
        var fixedPart = Stopwatch.GetElapsedTime(started);
        double? share = null;
        var quiet = options.ProcessorPid is null;
        while (!quiet && Stopwatch.GetElapsedTime(started) - fixedPart < options.Warmup)
        {
            var before = CpuSnapshot.Take(options.ProcessorPid);
            sent += await WarmUpAsync(place, FreshOrderWatches, ProcessorWarmup.Window, cancellationToken);
            share = ProcessorWarmup.JitShare(before, CpuSnapshot.Take(options.ProcessorPid));
            quiet = share is null or < ProcessorWarmup.QuietShare;
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"[grey]warm-up: the processor's JIT took {share ?? 0:P0} of its CPU in the last {ProcessorWarmup.Window.TotalSeconds:F0} s{(quiet ? "; quiet" : "; warming up on")}[/]");
        }

        var total = Stopwatch.GetElapsedTime(started);
        if (!quiet)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"[yellow]warm-up: the processor's JIT was still busy after {total.TotalSeconds:F0} s ({share ?? 0:P0} of its CPU); measuring anyway[/]");
        }

        return (sent, new ProcessorWarmup(total.TotalSeconds, (total - fixedPart).TotalSeconds, quiet, share));
    }

    /// <summary>Runs batches through one side for <paramref name="duration"/>, each batch finished before the next starts.</summary>
    private async Task<int> WarmUpAsync(Func<Guid, Task> send, Func<Stopwatches> fresh, TimeSpan duration, CancellationToken cancellationToken)
    {
        var sent = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            sent += await BatchAsync(send, fresh, cancellationToken);
        }

        return sent;
    }

    /// <summary>One warm-up batch (<see cref="InFlight"/> messages, every user's share among them), waited for to the end.</summary>
    private async Task<int> BatchAsync(Func<Guid, Task> send, Func<Stopwatches> fresh, CancellationToken cancellationToken)
    {
        var watches = fresh();
        var batch = Enumerable.Range(0, InFlight).Select(_ => Guid.NewGuid()).ToList();
        watches.Expect(batch.Count);
        foreach (var id in batch)
        {
            watches.Start(id);
        }

        await Task.WhenAll(batch.Select(send));
        await watches.WaitAllAsync(TimeSpan.FromMinutes(2), "a warm-up batch", _rejections, cancellationToken);
        return batch.Count;
    }

    /// <summary>
    /// Both sets of steady rates start from the same state: the order tables vacuumed and checkpointed
    /// (<see cref="DatabaseSettle"/>), then one batch through every user. Between the two sets the processor sat idle for
    /// minutes (the peer, the preload): past <c>Stream:IdleCloseAfter</c> its users' sockets closed, and without the batch
    /// the first order of each user re-opened one (a tickle, a read of its live orders, the subscriptions) inside the
    /// measurement (p99 at 100/s 17 ms before the preload, 233 ms after it, in one run).
    /// </summary>
    private async Task<int> SettleAsync(Func<Guid, Task> place, CancellationToken cancellationToken)
    {
        await DatabaseSettle.RunAsync(settings.ConnectionString, cancellationToken);
        AnsiConsole.MarkupLine("[grey]one batch through every user (sessions and sockets awake)[/]");
        return await BatchAsync(place, FreshOrderWatches, cancellationToken);
    }

    /// <summary>
    /// The processor's peak resident set: its <c>VmHWM</c>, and never below a sample the run took itself. The kernel's
    /// high-water mark can lag the resident set it reports (it keeps the resident set in per-CPU counters, and the two
    /// fields are not summed alike, as far as we can tell): a test saw the live-orders phase sample 264.25 MB and a later
    /// <c>VmHWM</c> of 263.90 MB.
    /// </summary>
    private double? PeakMemoryMb(LiveOrdersResult? live) =>
        (ProcessMemory.PeakMb(options.ProcessorPid), live?.RssMb) switch
        {
            ({ } peak, { } sampled) => Math.Max(peak, sampled),
            (var peak, var sampled) => peak ?? sampled,
        };

    /// <summary>
    /// New watches for a batch of orders: each batch waits for its fills, not only its submissions, since an order
    /// submitted but not yet filled still counts against its account's 20 working orders (a slow processor then refused
    /// the next batch, or the burst).
    /// </summary>
    private Stopwatches FreshOrderWatches()
    {
        _submitted = new Stopwatches();
        return _filled = new Stopwatches();
    }

    private async Task<(double PerSecond, LatencyStats Latency, long Started)> BurstAsync(string name, int count, Func<Guid, Task> send,
        Stopwatches watches, CancellationToken cancellationToken, Stopwatches? alsoStart = null)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        watches.Expect(count);
        var started = Stopwatch.GetTimestamp();
        using var slots = new SemaphoreSlim(InFlight);
        var sends = ids.Select(async id =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                watches.Start(id);
                alsoStart?.Start(id);
                await send(id);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        await Task.WhenAll(sends);
        await watches.WaitAllAsync(TimeSpan.FromMinutes(5), name, _rejections, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var perSecond = count / elapsed.TotalSeconds;
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{name}: {count} in {elapsed.TotalSeconds:F2} s = {perSecond:F0}/s");
        return (perSecond, LatencyStats.Of(watches.Latencies), started);
    }

    private async Task<double> FilledThroughputAsync(long started, CancellationToken cancellationToken)
    {
        _filled.Expect(options.Orders);
        await _filled.WaitAllAsync(TimeSpan.FromMinutes(5), "the burst's OrderFilled", _rejections, cancellationToken);
        var perSecond = options.Orders / Stopwatch.GetElapsedTime(started).TotalSeconds;
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"PlaceOrder → OrderFilled: {perSecond:F0}/s (burst: market orders filled as the stream or the status read reports them)");
        return perSecond;
    }

    /// <summary>
    /// Sends at a steady rate; the latency to the answer on <paramref name="watches"/> and, when given, to the later event on
    /// <paramref name="alsoWatches"/> (OrderFilled: waited for at most 30 s, so fills still missing then show as a lower count).
    /// </summary>
    private async Task<(LatencyStats Latency, LatencyStats Also)> SteadyAsync(int rate, Func<Guid, Task> send, Action reset, Func<Stopwatches> watches,
        CancellationToken cancellationToken, Func<Stopwatches>? alsoWatches = null)
    {
        reset();
        var total = (int)(rate * options.RateDuration.TotalSeconds);
        watches().Expect(total);
        alsoWatches?.Invoke().Expect(total);
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var started = Stopwatch.GetTimestamp();
        var sends = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = started + (long)(i * interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            var id = Guid.NewGuid();
            watches().Start(id);
            alsoWatches?.Invoke().Start(id);
            sends.Add(send(id));
        }

        await Task.WhenAll(sends);
        await watches().WaitAllAsync(TimeSpan.FromMinutes(2), $"the steady {rate}/s", _rejections, cancellationToken);
        if (alsoWatches is null)
        {
            return (LatencyStats.Of(watches().Latencies), LatencyStats.Of([]));
        }

        try
        {
            await alsoWatches().WaitAllAsync(TimeSpan.FromSeconds(30)).WaitAsync(cancellationToken);
        }
        catch (TimeoutException)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]at {rate}/s: {alsoWatches().Done} of {total} orders filled within 30 s[/]");
        }

        return (LatencyStats.Of(watches().Latencies), LatencyStats.Of(alsoWatches().Latencies));
    }

    private static string MachineDescription()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {memory:F0} GiB, {Environment.OSVersion}, .NET {Environment.Version}");
    }
}
