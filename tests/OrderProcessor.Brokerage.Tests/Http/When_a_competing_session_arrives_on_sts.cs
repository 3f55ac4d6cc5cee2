using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_a_competing_session_arrives_on_sts(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Should_mark_the_session_competing_and_fall_back_to_polling()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        const string user = "stream-competing";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));
        var connectsBefore = guard.Connector.Connects;

        simulator.Control.Compete(user);
        var gap = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Competing) == 1, Within);
        var pollingOnly = await guard.WaitForState(user, OrderStreamState.PollingOnly, Within);
        await Task.Delay(1000);

        var session = guard.Host.Sessions.GetSession(user);
        output.WriteLine($"Competing gap after {gap?.TotalMilliseconds:0} ms; PollingOnly after {pollingOnly?.TotalMilliseconds:0} ms; session {session?.State} ({session?.LastError}); reconnect attempts after it {guard.Connector.Connects - connectsBefore}");
        Assert.NotNull(gap);
        Assert.NotNull(pollingOnly);
        Assert.Equal(BrokerageSessionState.Competing, session?.State);
        Assert.Equal(0, guard.Connector.Connects - connectsBefore);
    }
}
