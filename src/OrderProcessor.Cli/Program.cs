using System.CommandLine;
using OrderProcessor.Cli.Commands;
using OrderProcessor.Cli.Infrastructure;
using Spectre.Console;

if (Console.IsOutputRedirected)
{
    // Logs and CI capture the output: do not wrap tables and event lines at 80 columns.
    AnsiConsole.Profile.Width = 160;
}

var root = new RootCommand("orders: publish commands to the OrderProcessor, follow orders, replay and verify the audit trail, list and retry parked outbox rows, and run the demo. " +
    "Connection settings come from the same environment variables as the processor (RabbitMq__Host, ConnectionStrings__OrderProcessor...).")
{
    PlaceCommand.Create(),
    ShowCommand.Create(),
    AttentionCommand.Create(),
    DemoCommand.Create(),
    DbCommand.Create(),
    CancelCommand.Create(),
    ModifyCommand.Create(),
    MarginCommand.Create(),
    WatchCommand.Create(),
    ReplayCommand.Create(),
    AuditCommand.Create(),
    OutboxCommand.Create(),
    BenchCommand.Create(),
    UpstreamsCommand.Create(),
    LimitsCommand.Create(),
    HaltCommand.Create(),
    HaltCommand.CreateResume(),
    HaltsCommand.Create(),
};

// Errors go to standard error, so standard output stays data (--json) for scripts.
var errors = ConsoleFor.Messages(stdoutCarriesData: true);
int exitCode;
try
{
    var parsed = root.Parse(args);

    // Ctrl+C (SIGINT) or SIGTERM cancels the command's token; a command that has not ended InterruptGrace later (its bus
    // stop is bounded by the same time) is left, and the CLI exits 130 (143 for SIGTERM) all the same.
    var invoked = await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = ExitCodes.InterruptGrace });
    if ((invoked is ExitCodes.Interrupted or ExitCodes.Terminated) && parsed.Errors.Count == 0)
    {
        Console.Error.WriteLine("interrupted");
    }

    // System.CommandLine answers unknown or missing flags with 1; scripts tell them from a failed check by 2.
    exitCode = parsed.Errors.Count > 0 ? ExitCodes.Usage : invoked;
}
catch (CliConfigurationException exception)
{
    errors.MarkupLineInterpolated($"[red]{exception.Message}[/]");
    exitCode = ExitCodes.Usage;
}
catch (UnreachableException exception)
{
    errors.MarkupLineInterpolated($"[red]{exception.Message}[/]");
    errors.MarkupLine("[grey]Is it running? `scripts/services.sh start` starts RabbitMQ and PostgreSQL; `eval \"$(scripts/services.sh env)\"` sets the connection variables.[/]");
    exitCode = ExitCodes.Unreachable;
}
catch (OperationCanceledException)
{
    // Ctrl+C while waiting: what was published stays published; the outcome is unknown.
    Console.Error.WriteLine("interrupted");
    exitCode = ExitCodes.Interrupted;
}
catch (Exception exception)
{
    // Not a usage, reachability or outcome problem: a bug or an answer the CLI does not know. Say so, with the stack trace.
    Console.Error.WriteLine($"orders failed unexpectedly: {exception}");
    exitCode = ExitCodes.Internal;
}

// The command is over (or given up after Ctrl+C): exit now, whatever a client library still has running (an
// interrupted CLI was once seen alive 30 s after its command had returned, on a loaded machine).
Console.Out.Flush();
Console.Error.Flush();
Environment.Exit(exitCode);
return exitCode;
