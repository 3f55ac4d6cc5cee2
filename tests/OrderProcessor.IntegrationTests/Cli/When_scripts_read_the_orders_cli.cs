using System.Diagnostics;
using System.Text.Json.Nodes;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Cli;

/// <summary>
/// `orders` driven by a script: exit codes as README's table says (a `--wait` that times out is 5, never 0), `--json`
/// documents on standard output that parse and carry the wire form, and enum options that list their names and refuse
/// anything else (numbers and C# member names included) naming the option.
/// </summary>
public sealed class When_scripts_read_the_orders_cli(ProcessorFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_list_the_names_of_every_enum_option_in_help()
    {
        var (exit, stdout, _) = await RunAsync("place", "--help");
        Assert.Equal(0, exit);
        string[] listed = ["--side <BUY|SELL>", "--type <MKT|LMT|STP|STOP_LIMIT|TRAIL|TRAILLMT|MIDPRICE>", "--tif <DAY|GTC|IOC|OPG|OVT|OND|PAX>", "--trail-unit <amt|%>",
            "--margin-check <None|RejectOnBrokerError|RejectOnExcessInitialMargin>", "default MKT", "default DAY"];
        var missing = listed.Where(l => !stdout.Contains(l, StringComparison.Ordinal)).ToList();
        output.WriteLine($"place --help: {listed.Length - missing.Count}/{listed.Length} option lists found; missing: {string.Join(", ", missing)}");
        Assert.Empty(missing);
        Assert.DoesNotContain("[default: Market]", stdout, StringComparison.Ordinal);

        (exit, stdout, _) = await RunAsync("modify", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--tif <DAY|GTC|IOC|OPG|OVT|OND|PAX>", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--side", "0", "BUY, SELL")]
    [InlineData("--side", "HOLD", "BUY, SELL")]
    [InlineData("--type", "1", "MKT, LMT, STP, STOP_LIMIT, TRAIL, TRAILLMT, MIDPRICE")]
    [InlineData("--type", "Market", "MKT, LMT, STP, STOP_LIMIT, TRAIL, TRAILLMT, MIDPRICE")]
    [InlineData("--tif", "GoodTillCancelled", "DAY, GTC, IOC, OPG, OVT, OND, PAX")]
    [InlineData("--trail-unit", "percent", "amt, %")]
    [InlineData("--margin-check", "2", "None, RejectOnBrokerError, RejectOnExcessInitialMargin")]
    public async Task Should_refuse_a_value_outside_an_options_names_naming_the_option_and_its_names(string option, string value, string names)
    {
        var arguments = new List<string> { "place", "--user", "alice", "--account", "DU1234567", "--conid", "10001", "--side", "BUY", "-q", "1" };
        var at = arguments.IndexOf(option);
        if (at >= 0)
        {
            arguments[at + 1] = value;
        }
        else
        {
            arguments.AddRange([option, value]);
        }

        var (exit, _, stderr) = await RunAsync([.. arguments]);
        output.WriteLine($"{option} {value}: exit {exit}, {stderr.Trim()}");

        Assert.Equal(2, exit);
        Assert.Contains($"{option}: '{value}' is not one of {names}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_read_names_in_any_case_and_show_the_order_as_json()
    {
        const int conid = 7401;
        fixture.Simulator.Control.PinPrice(conid, 50m);
        var orderId = Guid.NewGuid();
        var (exit, _, stderr) = await RunAsync("place", "--user", "alice", "--account", "DU1234567", "--conid", $"{conid}", "--side", "buy", "-t", "mkt",
            "--tif", "day", "-q", "4", "--order-id", orderId.ToString(), "--wait", "--timeout", "60");
        Assert.True(exit == 0, $"place exit {exit}: {stderr}");
        await fixture.WaitForOutboxPublishedAsync();

        (exit, var stdout, stderr) = await RunAsync("show", orderId.ToString(), "--json");
        Assert.True(exit == 0, $"show exit {exit}: {stderr}");
        var document = JsonNode.Parse(stdout)!;
        var order = document["order"]!;
        var events = document["events"]!.AsArray();
        var types = events.Select(e => e!["type"]!.GetValue<string>()).ToList();
        output.WriteLine($"show --json: {stdout.Length} bytes on stdout; status {order["status"]}, side {order["side"]}, type {order["orderType"]}, tif {order["timeInForce"]}; events {string.Join(", ", types)}");

        Assert.Equal(orderId, order["orderId"]!.GetValue<Guid>());
        Assert.Equal(("Filled", "BUY", "MKT", "DAY"), (order["status"]!.GetValue<string>(), order["side"]!.GetValue<string>(),
            order["orderType"]!.GetValue<string>(), order["timeInForce"]!.GetValue<string>()));
        Assert.Equal(4m, order["filledQuantity"]!.GetValue<decimal>());
        Assert.Equal(nameof(OrderAccepted), types[0]);
        Assert.Equal(nameof(OrderFilled), types[^1]);
        Assert.All(events, e =>
        {
            Assert.Equal(orderId, e!["message"]!["orderId"]!.GetValue<Guid>());
            Assert.NotNull(e["publishedAt"]);
        });
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e!["sequence"]!.GetValue<long>()));

        (exit, stdout, _) = await RunAsync("show", Guid.NewGuid().ToString(), "--json");
        Assert.Equal(4, exit);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task Should_exit_5_when_a_wait_times_out_and_0_when_the_cancel_then_settles()
    {
        const int conid = 7402;
        fixture.Simulator.Control.PinPrice(conid, 120m);
        var orderId = Guid.NewGuid();
        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = await RunAsync("place", "--user", "alice", "--account", "DU1234567", "--conid", $"{conid}", "--side", "BUY", "-t", "LMT",
            "--limit", "100", "-q", "2", "--order-id", orderId.ToString(), "--wait", "--timeout", "3");
        var waited = clock.Elapsed;
        output.WriteLine($"place --wait --timeout 3 of a limit 20 below the market: exit {exit} after {waited.TotalSeconds:F1} s (process start included)");

        Assert.True(exit == 5, $"exit {exit}, expected 5 (timed out):\n{stdout}{stderr}");
        Assert.Contains("not final after 3 s", stdout + stderr, StringComparison.Ordinal);
        var order = await fixture.WaitForStatusAsync(orderId, OrderStatus.Working);

        (exit, stdout, stderr) = await RunAsync("cancel", orderId.ToString(), "--user", "alice", "--wait", "--timeout", "60");
        output.WriteLine($"cancel --wait: exit {exit}");
        Assert.True(exit == 0, $"cancel exit {exit}:\n{stdout}{stderr}");
        await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Cancelled);
    }

    [Fact]
    public async Task Should_answer_a_margin_check_as_json()
    {
        var (exit, stdout, stderr) = await RunAsync("margin", "--user", "alice", "--account", "DU1234567", "--conid", "10002", "--side", "sell",
            "-q", "10", "-t", "MKT", "--json");
        output.WriteLine($"margin --json: exit {exit}, stdout {stdout.Trim()}");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var document = JsonNode.Parse(stdout)!;
        Assert.Equal(nameof(MarginCheckCompleted), document["type"]!.GetValue<string>());
        var message = document["message"]!;
        Assert.Equal("USD", message["currency"]!.GetValue<string>());
        Assert.True(message["initial"]!["after"]!.GetValue<decimal>() > 0);
    }

    [Fact]
    public async Task Should_watch_an_order_as_json_lines()
    {
        const int conid = 7403;
        fixture.Simulator.Control.PinPrice(conid, 30m);
        var orderId = Guid.NewGuid();
        using var watch = OrdersCliProcess.Start(fixture.Servers, ["watch", "--order", orderId.ToString(), "--json"]);
        try
        {
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var errors = Task.Run(async () =>
            {
                while (await watch.StandardError.ReadLineAsync() is { } line)
                {
                    if (line.Contains("watching", StringComparison.Ordinal))
                    {
                        ready.TrySetResult();
                    }
                }
            });
            var lines = new List<string>();
            var filled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reader = Task.Run(async () =>
            {
                while (await watch.StandardOutput.ReadLineAsync() is { } line)
                {
                    lock (lines)
                    {
                        lines.Add(line);
                    }

                    if (line.Contains("\"OrderFilled\"", StringComparison.Ordinal))
                    {
                        filled.TrySetResult();
                    }
                }
            });
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));

            var (exit, _, stderr) = await RunAsync("place", "--user", "alice", "--account", "DU1234567", "--conid", $"{conid}", "--side", "BUY",
                "-q", "3", "--order-id", orderId.ToString());
            Assert.True(exit == 0, $"place exit {exit}: {stderr}");
            await filled.Task.WaitAsync(TimeSpan.FromSeconds(60));

            List<JsonNode> documents;
            lock (lines)
            {
                documents = lines.Select(l => JsonNode.Parse(l)!).ToList();
            }

            var types = documents.Select(d => d["type"]!.GetValue<string>()).ToList();
            output.WriteLine($"watch --json: {documents.Count} lines, each one JSON document: {string.Join(", ", types)}");
            Assert.Equal(nameof(OrderAccepted), types[0]);
            Assert.Contains(nameof(OrderSubmitted), types);
            Assert.All(documents, d =>
            {
                Assert.NotEqual(Guid.Empty, d["messageId"]!.GetValue<Guid>());
                Assert.Equal(orderId, d["message"]!["orderId"]!.GetValue<Guid>());
            });
            var sequences = documents.Select(d => d["message"]!["sequence"]!.GetValue<long>()).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Should_answer_the_kill_switch_commands_with_their_exit_codes()
    {
        // Misuse (no scope, two scopes, no reason) is 2; a resume of a scope not halted is 4; a halt, a repeat and a resume are 0.
        var noScope = (await RunAsync("halt", "--reason", "x")).Exit;
        var twoScopes = (await RunAsync("halt", "--user", "erin", "--all", "--reason", "x")).Exit;
        var noReason = (await RunAsync("halt", "--user", "erin")).Exit;
        var resumeNothing = (await RunAsync("resume", "--user", "erin")).Exit;
        var halt = await RunAsync("halt", "--user", "erin", "--reason", "cli exit codes", "--by", "script");
        var repeat = (await RunAsync("halt", "--user", "erin", "--reason", "again")).Exit;
        var list = await RunAsync("halts");
        var resume = (await RunAsync("resume", "--user", "erin", "--reason", "done")).Exit;
        var history = await RunAsync("halts", "--history");
        output.WriteLine($"halt without scope {noScope}, with two {twoScopes}, without reason {noReason}; resume of nothing {resumeNothing}; " +
            $"halt {halt.Exit}, repeat {repeat}, halts {list.Exit}, resume {resume}, halts --history {history.Exit}\n{history.Stdout}");

        Assert.Equal((2, 2, 2, 4), (noScope, twoScopes, noReason, resumeNothing));
        Assert.Equal((0, 0, 0, 0, 0), (halt.Exit, repeat, list.Exit, resume, history.Exit));
        Assert.Contains("user erin", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("resumed", history.Stdout, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        OrdersCliProcess.RunSplitAsync(fixture.Servers, arguments);
}
