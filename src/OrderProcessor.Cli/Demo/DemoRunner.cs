using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using OrderProcessor.Persistence;
using Spectre.Console;

namespace OrderProcessor.Cli.Demo;

/// <summary>
/// Publishes the demo scenario to a running processor, shows the orders progressing, and checks the outcome against
/// PostgreSQL and the events a subscriber received.
/// </summary>
public sealed class DemoRunner(CliSettings settings, int commandCount, TimeSpan timeout)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var applied = await CliErrors.OnDatabaseAsync(settings, () => DatabaseMigrator.MigrateAsync(settings.DbContextFactory(), cancellationToken));
        AnsiConsole.MarkupLineInterpolated($"[grey]{settings.DatabaseDescription}: schema current ({applied.Count} migration(s) applied)[/]");

        var scenario = DemoScenario.Build(commandCount);
        var expected = scenario.SelectMany(d => d.ExpectedOrderIds).ToHashSet();
        var settled = new ConcurrentDictionary<Guid, IOrderEvent>();
        var stream = new EventStream();
        stream.Received += (_, orderEvent) =>
        {
            if (expected.Contains(orderEvent.OrderId) && orderEvent is OrderAccepted or OrderRejected)
            {
                settled.TryAdd(orderEvent.OrderId, orderEvent);
            }
        };

        await using var bus = await CliBus.StartAsync(settings, stream.Configure, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"[grey]{settings.BrokerDescription}: connected; publishing {scenario.Count} commands ({expected.Count} orders)[/]");

        var finishedInTime = await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var published = progress.AddTask("commands published", maxValue: scenario.Count);
                var answered = progress.AddTask("orders accepted or rejected", maxValue: expected.Count);
                foreach (var demoOrder in scenario)
                {
                    await bus.Publisher.Publish(demoOrder.Command, cancellationToken);
                    published.Increment(1);
                }

                var deadline = DateTime.UtcNow + timeout;
                while (settled.Count < expected.Count && DateTime.UtcNow < deadline)
                {
                    answered.Value = settled.Count;
                    await Task.Delay(100, cancellationToken);
                }

                answered.Value = settled.Count;
                return settled.Count == expected.Count;
            });

        // Let late duplicates, if any, arrive before counting.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return await SummariseAsync(scenario, expected, stream, finishedInTime, cancellationToken);
    }

    private async Task<int> SummariseAsync(IReadOnlyList<DemoOrder> scenario, HashSet<Guid> expected, EventStream stream,
        bool finishedInTime, CancellationToken cancellationToken)
    {
        await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
        var ids = expected.ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.OrderId)).ToListAsync(cancellationToken);
        var outbox = await db.Outbox.AsNoTracking().Where(o => ids.Contains(o.OrderId))
            .Select(o => new { o.MessageId, o.PublishedAt }).ToListAsync(cancellationToken);
        var received = stream.Events.Where(e => expected.Contains(e.Event.OrderId)).ToList();
        var duplicateDeliveries = received.Count - received.Select(e => e.MessageId).Distinct().Count();
        var receivedIds = received.Select(e => e.MessageId).ToHashSet();

        var rejectionsNamingTheField = scenario.Where(d => d.RejectedField is not null).Count(d =>
            received.Select(e => e.Event).OfType<OrderRejected>().Any(r => r.OrderId == d.Command.OrderId
                && r.Violations.Any(v => v.Field == d.RejectedField)));
        var invalidCommands = scenario.Count(d => d.RejectedField is not null);

        var byState = new Table().Title("orders by state (PostgreSQL)").AddColumns("state", "orders");
        foreach (var group in orders.GroupBy(o => o.Status).OrderBy(g => g.Key))
        {
            byState.AddRow(group.Key.ToString(), group.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var checks = new List<(string Check, bool Passed, string Detail)>
        {
            ("every order answered in time", finishedInTime, $"{orders.Count}/{expected.Count} orders recorded"),
            ("one saga row per order", orders.Count == expected.Count && orders.Select(o => o.OrderId).Distinct().Count() == orders.Count, $"{orders.Count} rows"),
            ("every outbox row published", outbox.All(o => o.PublishedAt is not null), $"{outbox.Count(o => o.PublishedAt is not null)}/{outbox.Count} published"),
            ("every published event received once", outbox.All(o => receivedIds.Contains(o.MessageId)) && duplicateDeliveries == 0,
                $"{receivedIds.Count} received, {duplicateDeliveries} duplicate deliveries"),
            ("invalid commands rejected naming their field", rejectionsNamingTheField == invalidCommands, $"{rejectionsNamingTheField}/{invalidCommands}"),
        };

        var summary = new Table().Title("demo summary").AddColumns("check", "result", "figures");
        foreach (var (check, passed, detail) in checks)
        {
            summary.AddRow(check, passed ? "[green]pass[/]" : "[red]FAIL[/]", detail);
        }

        AnsiConsole.Write(byState);
        AnsiConsole.Write(summary);
        var allPassed = checks.All(c => c.Passed);
        AnsiConsole.MarkupLine(allPassed ? "[green bold]demo passed[/]" : "[red bold]demo failed[/]");
        return allPassed ? ExitCodes.Success : ExitCodes.Failed;
    }
}
