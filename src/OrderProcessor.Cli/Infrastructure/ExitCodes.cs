namespace OrderProcessor.Cli.Infrastructure;

/// <summary>What `orders` returns, for scripts: the table in README.md ("Exit codes") lists the same.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran but the outcome is not what was asked for (a check failed, an order was rejected or failed...).</summary>
    public const int Failed = 1;

    /// <summary>Bad flags or arguments (unknown, missing, unreadable, a value outside an option's list) or a malformed setting.</summary>
    public const int Usage = 2;

    /// <summary>RabbitMQ or PostgreSQL could not be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>The order id is not known to the processor, or nothing matched.</summary>
    public const int NotFound = 4;

    /// <summary>
    /// No answer in time: a <c>--wait</c> ended by its <c>--timeout</c> before the order (or its cancel or modification)
    /// settled, or the processor did not answer a margin check. Not a success: the outcome is unknown, not good.
    /// </summary>
    public const int Timeout = 5;

    /// <summary>An unexpected error (a bug, or an answer the CLI does not know); the message and stack trace are on standard error.</summary>
    public const int Internal = 70;

    /// <summary>Stopped by Ctrl+C (SIGINT) while waiting; <c>watch</c>, which runs until then, returns 0.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (System.CommandLine's code when the command has not ended within <see cref="InterruptGrace"/>).</summary>
    public const int Terminated = 143;

    /// <summary>How long a command gets to end after Ctrl+C or SIGTERM (its bus stops within this too) before the CLI exits anyway.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(6);
}
