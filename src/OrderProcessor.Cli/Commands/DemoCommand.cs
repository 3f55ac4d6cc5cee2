using System.CommandLine;
using OrderProcessor.Cli.Demo;
using OrderProcessor.Cli.Infrastructure;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders demo</c>: drives a realistic mix of orders through a running processor and checks the outcome.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--orders", "-n") { Description = "How many commands to publish (at least 8).", DefaultValueFactory = _ => 60 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for every order to be answered.", DefaultValueFactory = _ => 120 };
        var command = new Command("demo", "Publish a realistic mix of orders to the running processor, show them progressing, and check the summary against PostgreSQL.")
        {
            count, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var orders = parse.GetValue(count);
            if (orders < 8)
            {
                Spectre.Console.AnsiConsole.MarkupLine("[red]--orders must be at least 8 (the demo's special cases)[/]");
                return ExitCodes.Usage;
            }

            return await new DemoRunner(CliSettings.Load(), orders, TimeSpan.FromSeconds(parse.GetValue(timeout))).RunAsync(cancellationToken);
        });
        return command;
    }
}
