using Microsoft.EntityFrameworkCore;

namespace OrderProcessor.Persistence;

/// <summary>Applies pending schema migrations (used by <c>orders db migrate</c>, the host when configured, and tests).</summary>
public static class DatabaseMigrator
{
    public static async Task<IReadOnlyList<string>> MigrateAsync(IDbContextFactory<OrderProcessorDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        return pending;
    }

    /// <summary>
    /// The migrations this build has that the database has not applied (all of them on an empty database). Throws when
    /// the database cannot be reached or does not exist: the connection is opened first, because EF's history check takes
    /// a database it cannot open for one without any migration.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(IDbContextFactory<OrderProcessorDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }
}
