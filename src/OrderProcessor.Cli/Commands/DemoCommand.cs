using System.CommandLine;
using OrderProcessor.Cli.Demo;
using OrderProcessor.Cli.Infrastructure;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders demo</c>: drives a realistic mix of orders through a running processor and checks the outcome.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--orders", "-n") { Description = $"How many commands to publish (at least {DemoScenario.SpecialCases}).", DefaultValueFactory = _ => 60 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each phase (orders at IBKR, then final).", DefaultValueFactory = _ => 90 };
        var simulator = new Option<string>("--simulator") { Description = "Base address of the IBKR simulator (its /__sim control API).", DefaultValueFactory = _ => "http://127.0.0.1:5280/" };
        var command = new Command("demo", "Drive a realistic mix of orders through the running processor and simulator to their final states, and check the summary against PostgreSQL and the simulator's ledger.")
        {
            count, timeout, simulator,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var orders = parse.GetValue(count);
            if (orders < DemoScenario.SpecialCases)
            {
                Spectre.Console.AnsiConsoleExtensions.MarkupLine(ConsoleFor.Errors, $"[red]--orders must be at least {DemoScenario.SpecialCases} (the demo's special cases)[/]");
                return ExitCodes.Usage;
            }

            if (!Uri.TryCreate(parse.GetValue(simulator), UriKind.Absolute, out var simulatorUrl))
            {
                Spectre.Console.AnsiConsoleExtensions.MarkupLine(ConsoleFor.Errors, "[red]--simulator must be an absolute URL, e.g. http://127.0.0.1:5280/[/]");
                return ExitCodes.Usage;
            }

            using var simulatorClient = SimulatorClient.Create(simulatorUrl);
            return await new DemoRunner(CliSettings.Load(), simulatorClient, orders, TimeSpan.FromSeconds(parse.GetValue(timeout)))
                .RunAsync(cancellationToken);
        });
        return command;
    }
}
