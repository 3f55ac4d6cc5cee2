using System.CommandLine;
using OrderProcessor.Cli.Bench;
using OrderProcessor.Cli.Demo;
using OrderProcessor.Cli.Infrastructure;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders bench</c>: the whole system against the bare MassTransit round trip, in one run on one broker.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var orders = new Option<int>("--orders", "-n") { Description = "Orders (and bare round trips) in the throughput burst.", DefaultValueFactory = _ => 2000 };
        var rates = new Option<string>("--rates") { Description = "Steady publishing rates for the latency measurements, comma-separated.", DefaultValueFactory = _ => "100,200,400" };
        var warmup = new Option<int>("--warmup") { Description = "Seconds of warm-up for each side.", DefaultValueFactory = _ => 30 };
        var duration = new Option<int>("--rate-seconds") { Description = "Seconds at each steady rate.", DefaultValueFactory = _ => 10 };
        var users = new Option<int>("--users") { Description = "Users the orders are spread over (IBKR paces each user at 10 requests/s).", DefaultValueFactory = _ => 100 };
        var pid = new Option<int?>("--processor-pid") { Description = "The processor's process id, to report its peak memory." };
        var reports = new Option<string>("--report-dir") { Description = "Where the JSON and Markdown reports go.", DefaultValueFactory = _ => "artifacts/bench" };
        var reads = new Option<int>("--reads-seconds") { Description = "Seconds live-order reads are counted per user with one resting order each and every socket healthy (0 skips the phase).", DefaultValueFactory = _ => 120 };
        var chaosOrders = new Option<int>("--chaos-orders") { Description = "Orders filled while every socket is dropped periodically, then compared with the simulator's ledger (0 skips the phase).", DefaultValueFactory = _ => 500 };
        var chaosDropEvery = new Option<int>("--chaos-drop-every") { Description = "Seconds between drops of every socket in the chaos phase.", DefaultValueFactory = _ => 20 };
        var chaosSeconds = new Option<int>("--chaos-seconds") { Description = "Seconds the chaos orders are spread over (so several drops fall among orders in flight).", DefaultValueFactory = _ => 60 };
        var peer = new Option<string>("--peer")
        {
            Description = "The Wolverine peer's folder: when its run.sh is there, the peer runs after the burst on the same broker and PostgreSQL server with the same burst size, and the report sets the two side by side (\"\" skips it).",
            DefaultValueFactory = _ => Path.Combine("..", "shared", "peers", "wolverine-peer"),
        };
        var preload = new Option<int>("--preload-orders")
        {
            Description = "At the end, add this many final orders (with their inbox rows and retained events) to the database, a day of a busy platform, and measure the steady rates again on it (0 skips).",
            DefaultValueFactory = _ => 0,
        };
        var preloadPerUser = new Option<int>("--preload-per-user") { Description = "Preloaded orders per user (the benchmark's users first).", DefaultValueFactory = _ => 500 };
        var liveOrders = new Option<int>("--live-orders")
        {
            Description = "Resting orders kept live at IBKR at once while the processor's memory is sampled, then cancelled (0 skips the phase).",
            DefaultValueFactory = _ => 10_000,
        };
        var simulatorUrl = new Option<string>("--simulator") { Description = "Base address of the IBKR simulator.", DefaultValueFactory = _ => "http://127.0.0.1:5280/" };
        var command = new Command("bench", "Measure the whole system (PlaceOrder to OrderSubmitted and OrderFilled) against the bare MassTransit round trip and the Wolverine peer on the same broker, steady-state live-order reads per user with the websocket healthy, and fills while every socket is dropped; write JSON and Markdown reports.")
        {
            orders, rates, warmup, duration, users, pid, reports, reads, chaosOrders, chaosDropEvery, chaosSeconds, peer, preload, preloadPerUser, liveOrders, simulatorUrl,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int[] parsedRates;
            try
            {
                parsedRates = parse.GetValue(rates)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(r => int.Parse(r, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            }
            catch (FormatException)
            {
                ConsoleFor.Errors.MarkupLine("[red]--rates must be whole numbers separated by commas, e.g. 100,200,400[/]");
                return ExitCodes.Usage;
            }

            if (!Uri.TryCreate(parse.GetValue(simulatorUrl), UriKind.Absolute, out var simulatorUri) || parse.GetValue(orders) < 1 || parse.GetValue(users) < 1)
            {
                ConsoleFor.Errors.MarkupLine("[red]--simulator must be an absolute URL; --orders and --users must be at least 1[/]");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(reads) < 0 || parse.GetValue(chaosOrders) < 0 || parse.GetValue(chaosDropEvery) < 1 || parse.GetValue(chaosSeconds) < 1
                || parse.GetValue(preload) < 0 || parse.GetValue(liveOrders) < 0 || parse.GetValue(preloadPerUser) < 1)
            {
                ConsoleFor.Errors.MarkupLine("[red]--reads-seconds, --chaos-orders, --preload-orders and --live-orders must be 0 or more; --chaos-drop-every, --chaos-seconds and --preload-per-user at least 1[/]");
                return ExitCodes.Usage;
            }

            using var simulator = SimulatorClient.Create(simulatorUri);
            var options = new BenchOptions(parse.GetValue(orders), parsedRates, TimeSpan.FromSeconds(parse.GetValue(warmup)),
                TimeSpan.FromSeconds(parse.GetValue(duration)), parse.GetValue(users), parse.GetValue(pid), parse.GetValue(reports)!,
                TimeSpan.FromSeconds(parse.GetValue(reads)), parse.GetValue(chaosOrders), TimeSpan.FromSeconds(parse.GetValue(chaosDropEvery)),
                TimeSpan.FromSeconds(parse.GetValue(chaosSeconds)), parse.GetValue(peer),
                parse.GetValue(preload), parse.GetValue(preloadPerUser), parse.GetValue(liveOrders));
            return await new BenchRunner(CliSettings.Load(), simulator, options).RunAsync(cancellationToken);
        });
        return command;
    }
}
