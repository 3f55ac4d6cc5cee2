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

    /// <summary>The migrations this build has that the database has not applied (all of them on an empty database).</summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(IDbContextFactory<OrderProcessorDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }
}
