using System.CommandLine;
using OrderProcessor.Cli.Commands;
using OrderProcessor.Cli.Infrastructure;
using Spectre.Console;

var root = new RootCommand("orders: publish commands to the OrderProcessor, follow orders, and run the demo. " +
    "Connection settings come from the same environment variables as the processor (RabbitMq__Host, ConnectionStrings__OrderProcessor...).")
{
    PlaceCommand.Create(),
    ShowCommand.Create(),
    DemoCommand.Create(),
    DbCommand.Create(),
};

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UnreachableException exception)
{
    AnsiConsole.MarkupLineInterpolated($"[red]{exception.Message}[/]");
    AnsiConsole.MarkupLine("[grey]Is it running? `scripts/services.sh start` starts RabbitMQ and PostgreSQL; `eval \"$(scripts/services.sh env)\"` sets the connection variables.[/]");
    return ExitCodes.Unreachable;
}
