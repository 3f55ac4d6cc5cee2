using System.Net.Sockets;
using Npgsql;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>Turns "the database is not there" into one clear sentence instead of a stack trace.</summary>
public static class CliErrors
{
    public static async Task<T> OnDatabaseAsync<T>(CliSettings settings, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception exception) when (IsUnreachable(exception))
        {
            throw new UnreachableException($"{settings.DatabaseDescription} is unreachable: {exception.GetBaseException().Message}", exception);
        }
    }

    private static bool IsUnreachable(Exception exception) => exception switch
    {
        NpgsqlException { InnerException: SocketException or TimeoutException } => true,
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.InvalidPassword
            or PostgresErrorCodes.InvalidAuthorizationSpecification,
        InvalidOperationException { InnerException: { } inner } => IsUnreachable(inner),
        _ => exception.InnerException is { } next && IsUnreachable(next),
    };
}
