using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Execution;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>Instances that hold users' leases directly on a test's database, for tests of what a lease fences.</summary>
public static class LeaseHolders
{
    /// <summary>An instance <paramref name="id"/> whose leases last <paramref name="lease"/>.</summary>
    public static UserSessionOwnership Instance(string id, TimeSpan lease) =>
        new(Options.Create(new LifecycleOptions { InstanceId = id, UserLeaseDuration = lease }), TimeProvider.System);

    /// <summary>Takes or renews <paramref name="user"/>'s lease for <paramref name="instance"/> and commits; its epoch, or null when another instance holds it.</summary>
    public static async Task<long?> TryOwnAsync(IsolatedServers servers, UserSessionOwnership instance, string user)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(instance);
        await using var db = servers.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var grant = await instance.TryOwnAsync(db, [user], CancellationToken.None);
        await transaction.CommitAsync();
        instance.Record(grant);
        return grant.Holds(user) ? grant.EpochOf(user) : null;
    }
}
