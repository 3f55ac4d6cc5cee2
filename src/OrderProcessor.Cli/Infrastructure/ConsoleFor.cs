using Spectre.Console;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>Where progress and messages go: standard error when standard output carries data (JSON lines), otherwise the console.</summary>
public static class ConsoleFor
{
    public static IAnsiConsole Messages(bool stdoutCarriesData) =>
        stdoutCarriesData
            ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
            : AnsiConsole.Console;

    /// <summary>Errors and warnings: always standard error, so standard output stays the command's output (README, "Exit codes").</summary>
    public static IAnsiConsole Errors { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
}
