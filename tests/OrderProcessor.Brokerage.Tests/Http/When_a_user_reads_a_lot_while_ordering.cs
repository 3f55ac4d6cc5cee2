using System.Diagnostics;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_a_user_reads_a_lot_while_ordering
{
    [Fact]
    public async Task Should_not_keep_the_order_waiting_behind_the_paced_reads()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "reading-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];

        // 60 reads need about six seconds at 10/s.
        var reads = Enumerable.Range(0, 60).Select(_ => Task.Run(() => guard.Gateway.GetAccountsAsync(user))).ToList();
        await Task.Delay(300);
        var clock = Stopwatch.StartNew();
        var result = await guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);
        clock.Stop();
        var readsStillQueued = reads.Count(r => !r.IsCompleted);
        await Task.WhenAll(reads);

        Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the order took {clock.Elapsed}");
        Assert.True(readsStillQueued > 20, $"{readsStillQueued} reads were still queued when the order was done");
        Assert.DoesNotContain(simulator.IbkrRequestsOf(user), r => r.Status == 429);
    }
}
