using OrderProcessor.Execution;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Execution;

/// <summary>
/// The shared trades read (<see cref="SharedTrades"/>): after a restart every order the new session no longer lists is
/// settled from the user's trades. IBKR allows one trades read per user per 5 s; read one by one, the settlements queued
/// past their work lease. Shared, the settlements of a user that ask while a read is under way take the next one.
/// </summary>
public sealed class When_trades_are_read_for_several_settlements(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Should_answer_every_settlement_of_a_user_with_two_reads_at_most()
    {
        var gateway = new FakeLiveOrdersGateway();
        var trades = new SharedTrades(gateway);
        var first = trades.ReadAsync("alice", 2, CancellationToken.None);
        var waiting = Enumerable.Range(0, 30).Select(_ => trades.ReadAsync("alice", 2, CancellationToken.None)).ToList();

        gateway.ReleaseTrades();
        await first.WaitAsync(Wait);
        await WaitForAsync(() => gateway.TradesStarted.Count == 2);
        gateway.ReleaseTrades();
        await Task.WhenAll(waiting).WaitAsync(Wait);

        output.WriteLine($"31 settlements of alice: {gateway.TradesStarted.Count} trades reads sent, {trades.Shared} answered by a read another one started");
        Assert.Equal(2, gateway.TradesStarted.Count);
        Assert.Equal(29, trades.Shared);
    }

    [Fact]
    public async Task Should_not_share_a_read_between_users_or_between_spans_of_days()
    {
        var gateway = new FakeLiveOrdersGateway();
        var trades = new SharedTrades(gateway);
        var reads = new[] { trades.ReadAsync("alice", 1, CancellationToken.None), trades.ReadAsync("alice", 3, CancellationToken.None), trades.ReadAsync("bob", 1, CancellationToken.None) };

        await WaitForAsync(() => gateway.TradesStarted.Count == 3);
        gateway.ReleaseTrades();
        await Task.WhenAll(reads).WaitAsync(Wait);

        output.WriteLine($"reads sent: {string.Join(", ", gateway.TradesStarted.Select(t => $"{t.UserId} {t.Days} day(s)"))}");
        Assert.Equal([("alice", 1), ("alice", 3), ("bob", 1)], gateway.TradesStarted.OrderBy(t => t.UserId).ThenBy(t => t.Days));
        Assert.Equal(0, trades.Shared);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the reads expected were not sent");
            await Task.Delay(5);
        }
    }
}
