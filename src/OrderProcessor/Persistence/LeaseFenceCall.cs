using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OrderProcessor.Persistence;

/// <summary>
/// A lease fence to run at the end of a save's first command (<see cref="LeaseFenceInterceptor"/>): the user's lease must be
/// <see cref="Owner"/>'s under <see cref="Epoch"/>, by the database's clock, and stays key-share-locked until the commit.
/// </summary>
public sealed record LeaseFenceCall(string UserId, string Owner, long Epoch)
{
    /// <summary>The SQLSTATE <c>lease_fence</c> raises when the lease is not held (see the LeaseFenceProcedure migration).</summary>
    public const string LostSqlState = "OPL01";

    internal const string UserParameter = "lease_fence_user";
    internal const string OwnerParameter = "lease_fence_owner";
    internal const string EpochParameter = "lease_fence_epoch";
    internal const string Sql = $"CALL lease_fence(@{UserParameter}, @{OwnerParameter}, @{EpochParameter});\n";

    /// <summary>Whether a save failed because its fence found the lease gone (and so wrote nothing).</summary>
    public static bool IsLost(Exception exception) => exception switch
    {
        PostgresException { SqlState: LostSqlState } => true,
        DbUpdateException { InnerException: { } inner } => IsLost(inner),
        _ => false,
    };
}
