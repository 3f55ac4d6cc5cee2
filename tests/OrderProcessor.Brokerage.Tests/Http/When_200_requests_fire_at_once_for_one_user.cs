using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_200_requests_fire_at_once_for_one_user
{
    [Fact]
    public async Task Should_reach_the_simulator_at_no_more_than_10_per_second_without_a_429()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s => s["Brokerage:Pacing:SafetyMargin"] = "00:00:00.050");
        const string user = "busy-user";

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => guard.Gateway.GetAccountsAsync(user))));

        Assert.All(results, accounts => Assert.NotEmpty(accounts));
        var arrivals = simulator.IbkrRequestsOf(user).Select(r => r.At).Order().ToList();
        Assert.True(arrivals.Count >= 200);
        Assert.Equal(0, simulator.Control.Stats().TooManyRequests);
        Assert.DoesNotContain(simulator.IbkrRequestsOf(user), r => r.Status == 429);
        for (var i = 0; i < arrivals.Count; i++)
        {
            var inOneSecond = arrivals.Skip(i).TakeWhile(at => at - arrivals[i] < TimeSpan.FromSeconds(1)).Count();
            Assert.True(inOneSecond <= 10, $"{inOneSecond} requests within one second starting at arrival {i}");
        }
    }
}
