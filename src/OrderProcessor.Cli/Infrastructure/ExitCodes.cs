namespace OrderProcessor.Cli.Infrastructure;

/// <summary>What `orders` returns, for scripts.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran but the outcome is not what was asked for (a check failed, an order was rejected...).</summary>
    public const int Failed = 1;

    /// <summary>Bad flags or arguments.</summary>
    public const int Usage = 2;

    /// <summary>RabbitMQ or PostgreSQL could not be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>The order id is not known to the processor.</summary>
    public const int NotFound = 4;
}
