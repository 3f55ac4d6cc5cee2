using System.Diagnostics;
using System.Globalization;
using MassTransit;
using OrderProcessor.Cli.Demo;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// The processor's memory with many orders live at IBKR: resting limit orders spread evenly over the users, 2 % below
/// each contract's pinned price (they never fill), until every one is submitted; then its resident set sampled every
/// second for <see cref="Sampling"/> (the socket's frames, the reconciliation reads and the orders' versions it keeps
/// are then all at their size); then every order cancelled. IBKR allows an account 20 working orders per contract and
/// side (the simulator and the pre-trade controls too), so a user's orders go over as many contracts as that needs.
/// </summary>
public sealed class LiveOrdersPhase(CliSettings settings, SimulatorClient simulator, IPublishEndpoint publisher, Func<Stopwatches> freshSubmitted)
{
    /// <summary>Working orders IBKR allows an account per contract and side.</summary>
    public const int PerContractSide = 20;

    /// <summary>Stocks in the simulator (every positive conid not special is one); the first is the benchmark's own.</summary>
    private const int FirstConid = 265598;

    private static readonly TimeSpan Sampling = TimeSpan.FromSeconds(10);

    public async Task<LiveOrdersResult> RunAsync(IReadOnlyList<(string User, string Account)> users, int count, int? processorPid,
        CancellationToken cancellationToken)
    {
        var perUser = (count + users.Count - 1) / users.Count;
        var conids = Enumerable.Range(0, (perUser + PerContractSide - 1) / PerContractSide).Select(i => FirstConid + i).ToList();
        var limits = new Dictionary<int, decimal>();
        foreach (var conid in conids)
        {
            var price = await simulator.PriceOfAsync(conid, cancellationToken);
            await simulator.PinPriceAsync(conid, price, cancellationToken);
            limits[conid] = Math.Round(price * 0.98m, 2);
        }

        // Order k of the phase goes to user k mod users, and that user's n-th order to contract n / 20.
        var orders = Enumerable.Range(0, count).Select(k => (Id: Guid.NewGuid(), User: users[k % users.Count], Conid: conids[k / users.Count / PerContractSide])).ToList();
        AnsiConsole.MarkupLineInterpolated($"[grey]live orders: {count} resting limit orders over {users.Count} users and {conids.Count} contract(s)[/]");
        var watches = freshSubmitted();
        watches.Expect(count);
        var started = Stopwatch.GetTimestamp();
        foreach (var (id, (user, account), conid) in orders)
        {
            watches.Start(id);
            await publisher.Publish(new PlaceOrder
            {
                OrderId = id,
                UserId = user,
                AccountId = account,
                Conid = conid,
                Side = OrderSide.Buy,
                Quantity = 1,
                OrderType = OrderType.Limit,
                LimitPrice = limits[conid],
                TimeInForce = TimeInForce.Day,
            }, cancellationToken);
        }

        var working = await WaitAsync(watches, orders.Select(o => o.Id).ToList(), Within(count), cancellationToken);
        var placing = Stopwatch.GetElapsedTime(started);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"live orders: {working} of {count} submitted in {placing.TotalSeconds:F0} s; sampling the processor's memory for {Sampling.TotalSeconds:F0} s");
        double? rss = null;
        for (var sample = 0; sample < Sampling.TotalSeconds; sample++)
        {
            if (ProcessMemory.CurrentMb(processorPid) is { } now)
            {
                rss = Math.Max(rss ?? 0, now);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"live orders: the processor's resident set with {working} live: {(rss is { } mb ? mb.ToString("F0", CultureInfo.InvariantCulture) + " MB" : "not measured")}; cancelling them");
        foreach (var (id, (user, _), _) in orders)
        {
            await publisher.Publish(new CancelOrder { OrderId = id, UserId = user, Reason = "bench: live-orders phase over" }, cancellationToken);
        }

        var open = await BenchOrders.WaitFinalAsync(settings, orders.Select(o => o.Id).ToList(), Within(count), cancellationToken);
        if (open > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]live orders: {open} not final {Within(count).TotalMinutes:F0} min after their cancels[/]");
        }

        return new LiveOrdersResult(count, working, rss, Sampling, placing, open);
    }

    /// <summary>Time enough for the orders at 20 a second (a tenth of a slow machine's burst), and at least 2 minutes.</summary>
    private static TimeSpan Within(int count) => TimeSpan.FromSeconds(Math.Max(120, count / 20.0));

    /// <summary>
    /// Waits until every order is submitted or ended without it (refused by a control or by IBKR: read from the sagas
    /// every 10 s, with progress); answers how many were submitted.
    /// </summary>
    private async Task<int> WaitAsync(Stopwatches watches, IReadOnlyList<Guid> ids, TimeSpan within, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + (long)(within.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var wait = TimeSpan.FromSeconds(Math.Min(10, Math.Max(0, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until).TotalSeconds)));
            try
            {
                await watches.WaitAllAsync(wait).WaitAsync(cancellationToken);
                return watches.Done;
            }
            catch (TimeoutException)
            {
                var pending = ids.Where(id => !watches.IsDone(id)).ToList();
                var ended = (await BenchOrders.ReadAsync(settings, pending, cancellationToken)).Values.Count(o => BenchOrders.IsFinal(o.Status));
                var submitted = watches.Done;
                if (submitted + ended >= ids.Count)
                {
                    AnsiConsole.MarkupLineInterpolated($"[yellow]live orders: {submitted} of {ids.Count} submitted, {ended} ended without it (refused: see their OrderRejected)[/]");
                    return submitted;
                }

                if (Stopwatch.GetTimestamp() >= until)
                {
                    AnsiConsole.MarkupLineInterpolated($"[yellow]live orders: {submitted} of {ids.Count} submitted within {within.TotalMinutes:F0} min[/]");
                    return submitted;
                }

                AnsiConsole.MarkupLineInterpolated($"[grey]live orders: {submitted} of {ids.Count} submitted, {ended} ended without it[/]");
            }
        }
    }
}
