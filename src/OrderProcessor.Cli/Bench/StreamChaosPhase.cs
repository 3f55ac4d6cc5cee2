using System.Diagnostics;
using System.Globalization;
using MassTransit;
using OrderProcessor.Cli.Demo;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// Every user's socket dropped every <c>dropEvery</c> while orders fill: market orders of 1, market orders of 250
/// (filled in slices of the simulator's <c>SingleSliceMaxQuantity</c> over several ticks: partial fills) and marketable
/// limits, sent evenly over <c>spread</c> so drops fall among orders in flight. Then every order's fill events are
/// compared with the simulator's ledger: a fill IBKR made that no event reported is missed, a fill event that does not
/// raise the order's cumulative quantity (or a total above IBKR's) is a fill counted twice, and every saga must be final.
/// </summary>
public sealed class StreamChaosPhase(CliSettings settings, SimulatorClient simulator, IPublishEndpoint publisher, OrderEventLog events)
{
    private const int ShownExamples = 10;

    public async Task<ChaosResult> RunAsync(IReadOnlyList<(string User, string Account)> users, int conid, decimal price, int count,
        TimeSpan dropEvery, TimeSpan spread, CancellationToken cancellationToken)
    {
        var dropsBefore = await simulator.StreamDropsAsync(cancellationToken);
        await simulator.DropStreamsEveryAsync(dropEvery, cancellationToken);
        var orders = new Dictionary<Guid, string>();
        int unfinished;
        try
        {
            var started = Stopwatch.GetTimestamp();
            var interval = spread / count;
            for (var i = 0; i < count; i++)
            {
                var wait = (interval * i) - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, cancellationToken);
                }

                var (user, account) = users[i % users.Count];
                var order = Ticket(i, user, account, conid, price);
                orders[order.OrderId] = user;
                await publisher.Publish(order, cancellationToken);
            }

            AnsiConsole.MarkupLineInterpolated($"[grey]chaos: {count} orders sent over {spread.TotalSeconds:F0} s with every socket dropped every {dropEvery.TotalSeconds:F0} s; waiting for every order to be final[/]");
            unfinished = await BenchOrders.WaitFinalAsync(settings, orders.Keys, TimeSpan.FromMinutes(3), cancellationToken);
        }
        finally
        {
            await simulator.DropStreamsEveryAsync(null, CancellationToken.None);
        }

        var dropped = await simulator.StreamDropsAsync(cancellationToken) - dropsBefore;
        // The last fill events may still be in the outbox relay when the sagas turn final.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var result = await CompareAsync(orders.Keys.ToList(), dropEvery, dropped, cancellationToken);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"chaos: {dropped} sockets dropped; {result.FillsMissed} fills missed, {result.FillsCountedTwice} counted twice, {result.NotFinal} not final ({unfinished} open at the wait's end)");
        foreach (var example in result.Examples)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]  {example}[/]");
        }

        return result;
    }

    private static PlaceOrder Ticket(int i, string user, string account, int conid, decimal price)
    {
        var order = new PlaceOrder
        {
            OrderId = Guid.NewGuid(),
            UserId = user,
            AccountId = account,
            Conid = conid,
            Side = OrderSide.Buy,
            Quantity = 1,
            OrderType = OrderType.Market,
            TimeInForce = TimeInForce.Day,
        };
        return (i % 4) switch
        {
            1 => order with { Quantity = 250 },
            2 => order with { OrderType = OrderType.Limit, LimitPrice = Math.Round(price * 1.01m, 2) },
            _ => order,
        };
    }

    private async Task<ChaosResult> CompareAsync(IReadOnlyList<Guid> ids, TimeSpan dropEvery, long dropped, CancellationToken cancellationToken)
    {
        var sagas = await BenchOrders.ReadAsync(settings, ids, cancellationToken);
        var ledger = (await simulator.LedgerAsync(cancellationToken)).Where(l => l.ClientOrderId is not null)
            .GroupBy(l => l.ClientOrderId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        int missed = 0, twice = 0, notFinal = 0, filledAtIbkr = 0;
        var examples = new List<string>();
        void Example(string text)
        {
            if (examples.Count < ShownExamples)
            {
                examples.Add(text);
            }
        }

        foreach (var id in ids)
        {
            if (!sagas.TryGetValue(id, out var saga) || !BenchOrders.IsFinal(saga.Status))
            {
                notFinal++;
                Example($"{id}: saga {(saga.ClientOrderId is null ? "missing" : saga.Status.ToString())}, not final");
                if (saga.ClientOrderId is null)
                {
                    continue;
                }
            }

            var atIbkr = ledger.TryGetValue(saga.ClientOrderId, out var entry) ? entry.FilledQuantity : 0m;
            filledAtIbkr += atIbkr > 0 ? 1 : 0;
            var fills = events.FillsOf(id);
            var repeats = fills.Zip(fills.Skip(1)).Count(p => p.Second <= p.First);
            var reported = fills.Count == 0 ? 0m : fills.Max();
            if (repeats > 0 || reported > atIbkr)
            {
                twice++;
                Example($"{id}: fill events {string.Join(", ", fills)} against IBKR's {atIbkr}");
            }
            else if (reported < atIbkr)
            {
                missed++;
                Example($"{id}: fill events {string.Join(", ", fills)} (saga {saga.Filled}) against IBKR's {atIbkr}");
            }
        }

        return new ChaosResult(ids.Count, dropEvery, dropped, filledAtIbkr, missed, twice, notFinal, examples);
    }
}
