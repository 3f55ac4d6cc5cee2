using OrderProcessor.Brokerage.Streaming;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_the_reconnect_backoff_grows(ITestOutputHelper output)
{
    [Fact]
    public void Should_double_up_to_the_cap_with_jitter_in_the_upper_half()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(12));
        var delays = Enumerable.Range(0, 10).Select(_ => backoff.Next()).ToArray();

        output.WriteLine("delays (s): " + string.Join(", ", delays.Select(d => d.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))));
        double[] ceilings = [1, 2, 4, 8, 16, 32, 60, 60, 60, 60];
        for (var i = 0; i < delays.Length; i++)
        {
            Assert.InRange(delays[i].TotalSeconds, ceilings[i] / 2, ceilings[i]);
        }
    }

    [Fact]
    public void Should_start_again_from_the_base_after_a_good_connection()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(3));
        for (var i = 0; i < 6; i++)
        {
            backoff.Next();
        }

        backoff.Reset();
        var next = backoff.Next();

        output.WriteLine($"after reset: {next.TotalSeconds:0.00} s");
        Assert.InRange(next.TotalSeconds, 0.5, 1);
    }

    [Fact]
    public void Should_spread_many_users_reconnecting_at_once()
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 100).Select(_ => new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), random).Next().TotalMilliseconds).ToArray();
        var distinctTenths = delays.Select(d => (int)(d / 100)).Distinct().Count();

        output.WriteLine($"100 users' first delays span {delays.Min():0} to {delays.Max():0} ms, over {distinctTenths} distinct 100 ms slots");
        Assert.True(delays.Max() - delays.Min() > 300, "jitter spreads the first reconnects");
    }
}
