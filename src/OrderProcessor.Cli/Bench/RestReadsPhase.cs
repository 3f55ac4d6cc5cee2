using System.Globalization;
using MassTransit;
using OrderProcessor.Cli.Demo;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// Steady-state REST reads of live orders per user with the websocket healthy: one resting limit order per user below
/// the pinned price (never fills, inside IBKR's price-deviation band), wait until every order is submitted and every
/// user's socket is subscribed, let it settle, then count each user's <c>GET /iserver/account/orders</c> in the
/// simulator's request log over the window. The orders are cancelled afterwards.
/// </summary>
public sealed class RestReadsPhase(CliSettings settings, SimulatorClient simulator, IPublishEndpoint publisher, Func<Stopwatches> freshSubmitted)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    public async Task<ReadsResult> RunAsync(IReadOnlyList<(string User, string Account)> users, int conid, decimal price, TimeSpan window,
        CancellationToken cancellationToken)
    {
        var limit = Math.Round(price * 0.98m, 2);
        var ids = users.ToDictionary(u => u.User, _ => Guid.NewGuid());
        var watches = freshSubmitted();
        watches.Expect(users.Count);
        foreach (var (user, account) in users)
        {
            watches.Start(ids[user]);
            await publisher.Publish(new PlaceOrder
            {
                OrderId = ids[user],
                UserId = user,
                AccountId = account,
                Conid = conid,
                Side = OrderSide.Buy,
                Quantity = 1,
                OrderType = OrderType.Limit,
                LimitPrice = limit,
                TimeInForce = TimeInForce.Day,
            }, cancellationToken);
        }

        await Bounded(watches.WaitAllAsync(TimeSpan.FromMinutes(2)), "not every resting order was submitted within 2 min");
        var streaming = await WaitStreamingAsync(users.Select(u => u.User).ToHashSet(StringComparer.Ordinal), TimeSpan.FromMinutes(1), cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"[grey]{streaming} of {users.Count} users streaming; settling {Settle.TotalSeconds:F0} s, then counting live-order reads for {window.TotalMinutes:F1} min[/]");
        await Task.Delay(Settle, cancellationToken);
        var since = DateTimeOffset.UtcNow;
        await Task.Delay(window, cancellationToken);
        var reads = await simulator.LiveOrderReadsByUserAsync(since, cancellationToken);
        var perMinute = users.Select(u => reads.GetValueOrDefault(u.User) / window.TotalMinutes).ToList();
        var result = new ReadsResult(users.Count, streaming, window, perMinute.Average(), perMinute.Max());
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"live-order reads per user per minute: mean {result.MeanPerUserPerMinute:F2}, max {result.MaxPerUserPerMinute:F2} ({streaming}/{users.Count} streaming)");

        foreach (var (user, _) in users)
        {
            await publisher.Publish(new CancelOrder { OrderId = ids[user], UserId = user, Reason = "bench: reads phase over" }, cancellationToken);
        }

        var open = await BenchOrders.WaitFinalAsync(settings, ids.Values.ToList(), TimeSpan.FromMinutes(1), cancellationToken);
        if (open > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{open} resting orders not final 1 min after their cancel[/]");
        }

        return result;
    }

    private async Task<int> WaitStreamingAsync(IReadOnlySet<string> users, TimeSpan within, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + within;
        while (true)
        {
            var streaming = (await simulator.StreamingUsersAsync(cancellationToken)).Count(users.Contains);
            if (streaming == users.Count || DateTimeOffset.UtcNow >= until)
            {
                return streaming;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static async Task Bounded(Task wait, string message)
    {
        try
        {
            await wait;
        }
        catch (TimeoutException)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{message}[/]");
        }
    }
}
