using System.Collections.Concurrent;
using System.Globalization;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using OrderProcessor.Persistence;
using Spectre.Console;

namespace OrderProcessor.Cli.Demo;

/// <summary>
/// Drives the demo scenario through a running processor and simulator: publishes the orders, shows every event as it
/// arrives, moves the simulated market so waiting orders trigger, sends the cancel and the modification, and ends with a
/// summary checked against PostgreSQL and the simulator's ledger.
/// </summary>
public sealed class DemoRunner(CliSettings settings, SimulatorClient simulator, int commandCount, TimeSpan timeout)
{
    private readonly ConcurrentDictionary<Guid, OrderStatus> _states = new();
    private readonly Dictionary<Guid, string> _labels = [];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var applied = await CliErrors.OnDatabaseAsync(settings, () => DatabaseMigrator.MigrateAsync(settings.DbContextFactory(), cancellationToken));
        AnsiConsole.MarkupLineInterpolated($"[grey]{settings.DatabaseDescription}: schema current ({applied.Count} migration(s) applied)[/]");

        var prices = new Dictionary<int, decimal>();
        try
        {
            foreach (var (user, account) in DemoScenario.Users)
            {
                await simulator.RegisterUserAsync(user, account, cancellationToken);
            }

            foreach (var conid in DemoScenario.Instruments.All)
            {
                prices[conid] = await simulator.PriceOfAsync(conid, cancellationToken);
                await simulator.PinPriceAsync(conid, prices[conid], cancellationToken);
            }
        }
        catch (HttpRequestException exception)
        {
            throw new UnreachableException($"the simulator at {simulator.BaseAddress} is unreachable: {exception.Message}", exception);
        }

        var callsBefore = await simulator.CallsByEndpointAsync(cancellationToken);
        var scenario = DemoScenario.Build(commandCount, prices);
        foreach (var (conid, (bid, ask)) in scenario.Quotes)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]market: conid {conid} quoted {bid} / {ask} (midpoint {(bid + ask) / 2m})[/]");
            await simulator.PinQuoteAsync(conid, prices[conid], bid, ask, cancellationToken);
        }

        var expected = scenario.Orders.SelectMany(d => d.Expected).ToDictionary(e => e.Key, e => e.Value);
        foreach (var demoOrder in scenario.Orders)
        {
            foreach (var id in demoOrder.Expected.Keys)
            {
                _labels[id] = $"{demoOrder.Command.UserId,-5} {demoOrder.Label}";
            }
        }

        var stream = new EventStream();
        stream.Received += (_, orderEvent) => Show(orderEvent, expected);
        await using var bus = await CliBus.StartAsync(settings, stream.Configure, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"[grey]{settings.BrokerDescription}: publishing {scenario.Orders.Count} commands ({expected.Count} orders) for {DemoScenario.Users.Length} users[/]");

        foreach (var demoOrder in scenario.Orders)
        {
            await bus.Publisher.Publish(demoOrder.Command, cancellationToken);
            // Under the processor's default order rate per account (Risk:MaxOrdersPerSecondPerAccount, 10/s) whatever
            // the order of the scenario's accounts: published at once, a third of them would be refused OrderRateExceeded.
            await Task.Delay(TimeSpan.FromMilliseconds(110), cancellationToken);
        }

        var working = await WaitAsync(() => expected.Keys.All(id => _states.TryGetValue(id, out var s) && s is not (OrderStatus.Received
            or OrderStatus.MarginChecking or OrderStatus.MarginApproved or OrderStatus.Submitting)), cancellationToken);
        AnsiConsole.MarkupLine(working
            ? "[bold]every order is at IBKR or settled: cancelling, modifying, and moving the market[/]"
            : "[yellow]some orders are still on their way to IBKR; going on[/]");
        foreach (var followUp in scenario.Orders.Select(o => o.FollowUp).OfType<object>())
        {
            await bus.Publisher.Publish(followUp, followUp.GetType(), cancellationToken);
        }

        foreach (var (conid, price) in scenario.MarketMoves)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]market: conid {conid} {prices[conid]} -> {price}[/]");
            await simulator.PinPriceAsync(conid, price, cancellationToken);
        }

        var settled = await WaitAsync(() => expected.All(e => _states.TryGetValue(e.Key, out var s) && s == e.Value), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return await new DemoSummary(settings, simulator).PrintAsync(scenario, expected, stream, settled, callsBefore, cancellationToken);
    }

    private void Show(IOrderEvent orderEvent, IReadOnlyDictionary<Guid, OrderStatus> expected)
    {
        if (!expected.ContainsKey(orderEvent.OrderId))
        {
            return;
        }

        var state = orderEvent switch
        {
            OrderAccepted => OrderStatus.Received,
            OrderSubmitted => OrderStatus.Submitted,
            OrderStatusChanged changed => changed.Status,
            OrderPartiallyFilled => OrderStatus.PartiallyFilled,
            OrderFilled => OrderStatus.Filled,
            OrderCancelled => OrderStatus.Cancelled,
            // A rejection with sequence 0 never changes an order (OrderRejected's contract).
            OrderRejected { Sequence: > 0, ReasonCode: not (RejectionReasonCode.ConflictingDuplicate or RejectionReasonCode.InvalidState or RejectionReasonCode.NotFound), Command: nameof(PlaceOrder) } => OrderStatus.Rejected,
            OrderFailed => OrderStatus.Failed,
            MarginCheckCompleted { Approved: true } => OrderStatus.MarginApproved,
            _ => (OrderStatus?)null,
        };
        if (state is { } s)
        {
            _states.AddOrUpdate(orderEvent.OrderId, s, (_, previous) => Domain.IsFinal(previous) ? previous : s);
        }

        var colour = orderEvent switch
        {
            OrderFilled => "green",
            OrderRejected or OrderFailed => "red",
            OrderCancelled => "yellow",
            _ => "grey",
        };
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"[grey]{orderEvent.OccurredAt:HH:mm:ss.fff}[/] {_labels[orderEvent.OrderId],-60} #{orderEvent.Sequence} [{colour}]{EventText.Describe(orderEvent)}[/]");
    }

    private async Task<bool> WaitAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100, cancellationToken);
        }

        return true;
    }

    private static class Domain
    {
        public static bool IsFinal(OrderStatus status) => status is OrderStatus.Filled or OrderStatus.Cancelled or OrderStatus.Rejected or OrderStatus.Failed;
    }
}
