using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Execution;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Persistence;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.HighAvailability;

/// <summary>
/// The fence on PostgreSQL's row locks: a result written under a user's lease (LeaseFence, FOR KEY SHARE) and the
/// statements that take or renew leases. Renewing must not wait for such a write (at 200 orders/s a renewal that waited
/// held every write of its users behind it), but taking the lease over must: otherwise the new holder could read the
/// orders before the old holder's last result commits, and act on a state that is about to change.
/// </summary>
public sealed class When_a_lease_changes_under_a_fenced_write(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();

    public Task InitializeAsync() => _servers.InitializeAsync();

    public Task DisposeAsync() => _servers.DisposeAsync();

    private static UserSessionOwnership Instance(string id, TimeSpan lease) =>
        new(Options.Create(new LifecycleOptions { InstanceId = id, UserLeaseDuration = lease }), TimeProvider.System);

    private async Task<long> OwnAsync(UserSessionOwnership instance, string user)
    {
        await using var db = _servers.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var grant = await instance.TryOwnAsync(db, [user], CancellationToken.None);
        await transaction.CommitAsync();
        instance.Record(grant);
        Assert.True(grant.Holds(user), $"{instance.InstanceId} should hold {user}");
        return grant.EpochOf(user);
    }

    /// <summary>A write fenced on the lease, left open (its transaction holds the key-share lock) until disposed.</summary>
    private async Task<(OrderProcessorDbContext Db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction Transaction)> OpenFencedWriteAsync(
        UserSessionOwnership instance, string user, long epoch)
    {
        var db = _servers.CreateDbContext();
        var transaction = await db.Database.BeginTransactionAsync();
        Assert.True(await LeaseFence.HoldsAsync(db, user, instance.LeaseOwner, epoch, CancellationToken.None), "the fence should pass under the live lease");
        return (db, transaction);
    }

    [Fact]
    public async Task Should_renew_without_waiting_for_the_write()
    {
        var a = Instance("renewing", TimeSpan.FromSeconds(30));
        var epoch = await OwnAsync(a, "u-renew");
        var (db, transaction) = await OpenFencedWriteAsync(a, "u-renew", epoch);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var renewal = OwnAsync(a, "u-renew");
            var finished = await Task.WhenAny(renewal, Task.Delay(TimeSpan.FromSeconds(5)));
            output.WriteLine($"renewal with a fenced write open: {(finished == renewal ? $"{stopwatch.ElapsedMilliseconds} ms" : "still waiting after 5 s")}");
            Assert.Same(renewal, finished);
            Assert.Equal(epoch, await renewal);
        }
        finally
        {
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
            await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task Should_make_a_takeover_wait_for_the_write_and_refuse_the_old_epoch_after_it()
    {
        var a = Instance("old-holder", TimeSpan.FromSeconds(1));
        var b = Instance("new-holder", TimeSpan.FromSeconds(30));
        var epoch = await OwnAsync(a, "u-take");
        var (db, transaction) = await OpenFencedWriteAsync(a, "u-take", epoch);
        Task<long> takeover;
        try
        {
            // The old holder stops renewing; once the lease has run out by the database's clock, the other instance asks.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            takeover = OwnAsync(b, "u-take");
            var finished = await Task.WhenAny(takeover, Task.Delay(TimeSpan.FromSeconds(2)));
            output.WriteLine($"takeover with the old holder's fenced write open: {(finished == takeover ? "completed (wrong)" : "waiting after 2 s")}");
            Assert.NotSame(takeover, finished);
        }
        finally
        {
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
            await db.DisposeAsync();
        }

        var stopwatch = Stopwatch.StartNew();
        var newEpoch = await takeover.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"takeover done {stopwatch.ElapsedMilliseconds} ms after the write committed: epoch {epoch} → {newEpoch}");
        Assert.Equal(epoch + 1, newEpoch);

        await using var late = _servers.CreateDbContext();
        await using var lateTransaction = await late.Database.BeginTransactionAsync();
        Assert.False(await LeaseFence.HoldsAsync(late, "u-take", a.LeaseOwner, epoch, CancellationToken.None), "a write under the old epoch must be refused");
        Assert.True(await LeaseFence.HoldsAsync(late, "u-take", b.LeaseOwner, newEpoch, CancellationToken.None), "the new holder's writes pass");
    }
}
