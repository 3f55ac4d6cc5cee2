using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>IBKR stops order details on <c>sor</c> after a live-orders read with <c>filters</c> (until a force read): the guard never sends one.</summary>
public sealed class When_live_orders_are_read_beside_the_stream(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_never_send_filters()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "no-filters";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];

        await guard.Gateway.GetLiveOrdersAsync(user, account);

        var reads = guard.Requests.Where(r => r.Path.EndsWith("/iserver/account/orders", StringComparison.Ordinal)).ToArray();
        output.WriteLine("live-orders reads: " + string.Join(", ", reads.Select(r => string.IsNullOrEmpty(r.Query) ? "(no query)" : r.Query)));
        Assert.NotEmpty(reads);
        Assert.Contains(reads, r => (r.Query ?? string.Empty).Contains("accountId=", StringComparison.Ordinal));
        Assert.All(reads, r => Assert.DoesNotContain("filters", r.Query ?? string.Empty, StringComparison.Ordinal));
    }
}
