using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Halts;

/// <summary>
/// The halts are read with their shared lock in one round trip (a batch of two statements). A halt that commits while
/// the reader waits for the lock must be in what the reader gets: read with a snapshot taken before the wait, a
/// PlaceOrder would pass the halt it waited for and be sent after it.
/// </summary>
public sealed class When_a_halt_commits_while_a_reader_waits(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();

    public Task InitializeAsync() => _servers.InitializeAsync();

    public Task DisposeAsync() => _servers.DisposeAsync();

    [Fact]
    public async Task Should_see_the_halt_it_waited_for()
    {
        var haltId = Guid.NewGuid();
        await using var halting = _servers.CreateDbContext();
        await using var haltTransaction = await halting.Database.BeginTransactionAsync();
        await halting.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({TradingHaltStore.LockKey}, 0))");
        halting.TradingHalts.Add(new TradingHaltRow
        {
            HaltId = haltId,
            Scope = HaltScopes.Account,
            ScopeKey = "DU-HALTED",
            Reason = "test: committed while a reader waits",
            HaltedAt = DateTimeOffset.UtcNow,
            HaltedBy = "test",
        });
        await halting.SaveChangesAsync();

        await using var reading = _servers.CreateDbContext();
        await using var readTransaction = await reading.Database.BeginTransactionAsync();
        var read = new TradingHaltStore().ActiveForAsync(reading, "u-1", "DU-HALTED", CancellationToken.None);
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.NotSame(read, finished);

        await haltTransaction.CommitAsync();
        var halt = await read.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"the reader waited for the halt's commit and read: {halt?.HaltId.ToString() ?? "no halt"}");
        Assert.Equal(haltId, halt?.HaltId);
        Assert.Equal(HaltScope.Account, halt!.Scope);
        Assert.Equal("test", halt.HaltedBy);
    }
}
