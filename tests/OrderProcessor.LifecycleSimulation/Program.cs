using System.Diagnostics;
using System.Globalization;
using OrderProcessor.LifecycleSimulation.Checks;
using OrderProcessor.LifecycleSimulation.Schedule;

// Usage: lifecycle-simulation --seeds N [--first S] [--seed S] [--steps K] [--verbose] [--no-stream] | --table
//   --seeds N   run N schedules (seeds first..first+N-1) and report every violation
//   --seed S    run one schedule, and if it violates, shrink it and print its trace
//   --no-stream the schedules without IBKR's websocket (the stream's steps are drawn from a second random, so the
//               other steps of a seed are the same with and without it)
var seeds = 100;
var first = 1;
int? single = null;
var stepsPerSchedule = 160;
var verbose = false;
var stream = true;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seeds" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
            seeds = n;
            i++;
            break;
        case "--first" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var f):
            first = f;
            i++;
            break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var s):
            single = s;
            i++;
            break;
        case "--steps" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var k) && k > 0:
            stepsPerSchedule = k;
            i++;
            break;
        case "--verbose":
            verbose = true;
            break;
        case "--no-stream":
            // The schedules as they were before IBKR's websocket: the same steps, no stream, every held user polled.
            stream = false;
            break;
        case "--table":
            // The transition table as docs/lifecycle.md shows it.
            Console.Write(OrderProcessor.Orders.TransitionTableDocument.Render());
            return 0;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'");
            Console.Error.WriteLine("usage: lifecycle-simulation --seeds N [--first S] [--steps K] [--no-stream] | --seed S [--verbose] [--no-stream] | --table");
            return 2;
    }
}

if (single is { } chosen)
{
    var (orders, steps) = ScheduleGenerator.Generate(chosen, stepsPerSchedule, stream);
    var (world, violations) = ScheduleRun.Run(orders, steps, stream: stream);
    if (violations.Count == 0)
    {
        Console.WriteLine($"seed {chosen}: no invariant violation ({world.Model.Ledger.Count} orders at IBKR, {world.Db.Events.Count} events)");
        if (verbose)
        {
            world.Trace.ForEach(Console.WriteLine);
        }

        Console.WriteLine("simulated 1 schedules, 0 invariant violations");
        return 0;
    }

    Console.WriteLine($"seed {chosen}: {violations.Count} invariant violation(s); shrinking the schedule ({steps.Count} steps)...");
    var shrunk = ScheduleRun.Shrink(orders, steps, stream: stream);
    var (replay, found) = ScheduleRun.Run(orders, shrunk, stream: stream);
    Console.WriteLine($"minimal schedule: {shrunk.Count} steps. Orders:");
    foreach (var (order, index) in orders.Select((o, i) => (o, i)))
    {
        Console.WriteLine($"  order {index}: {order.UserId} {order.Shape} {order.TimeInForce} margin={order.Margin} {order.Sizing}{(order.Sizing == OrderSizing.Whole ? string.Empty : " " + order.Amount)}{(order.AllOrNone ? " AON" : string.Empty)}{(order.MidPrice ? " MIDPRICE" : string.Empty)} id={order.OrderId:N}");
    }

    Console.WriteLine("trace (step, clock, action | rules applied | events):");
    foreach (var line in verbose ? replay.Trace : replay.Trace.Where(l => !l.EndsWith("(nothing to do)", StringComparison.Ordinal)).Take(shrunk.Count + 400))
    {
        Console.WriteLine("  " + line);
    }

    Console.WriteLine("violations:");
    found.ForEach(v => Console.WriteLine("  " + v));
    Console.WriteLine($"simulated 1 schedules, {found.Count} invariant violations");
    return 1;
}

var clock = Stopwatch.StartNew();
var total = 0;
var failing = new List<int>();
var coverage = new Coverage();
for (var seed = first; seed < first + seeds; seed++)
{
    var (orders, steps) = ScheduleGenerator.Generate(seed, stepsPerSchedule, stream);
    var (world, violations) = ScheduleRun.Run(orders, steps, stream: stream);
    coverage.Add(world);
    if (violations.Count > 0)
    {
        total += violations.Count;
        failing.Add(seed);
        Console.WriteLine($"seed {seed}: {violations[0]}{(violations.Count > 1 ? $" (and {violations.Count - 1} more)" : string.Empty)}");
    }

    if ((seed - first + 1) % 500 == 0)
    {
        Console.Error.WriteLine($"[simulate] {seed - first + 1}/{seeds} schedules, {failing.Count} failing, {clock.Elapsed.TotalSeconds:0} s");
    }
}

if (verbose)
{
    coverage.Print(Console.Out);
}
else
{
    Console.Error.WriteLine(coverage.Summary());
    Console.Error.WriteLine(coverage.MaintenanceSummary());
    Console.Error.WriteLine(coverage.HaltSummary());
    Console.Error.WriteLine(coverage.ReferenceSummary());
    Console.Error.WriteLine(coverage.Fills.Summary());
    if (coverage.StreamSummary() is { Length: > 0 } streamed)
    {
        Console.Error.WriteLine(streamed);
    }
}

if (failing.Count > 0)
{
    Console.WriteLine($"replay one with: scripts/simulate.sh --seed {failing[0]}");
}

Console.WriteLine($"simulated {seeds} schedules, {total} invariant violations");
return total == 0 ? 0 : 1;
