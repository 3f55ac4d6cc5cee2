using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>
/// Orders ending at the exchange during a window, followed by the websocket (closed by IBKR at the window's start,
/// refused during it, reopened and replaying the executions after it) as well as polling.
/// </summary>
public sealed class When_orders_end_during_a_window_with_the_stream(When_orders_end_during_a_window_with_the_stream.Fixture fixture, ITestOutputHelper output)
    : OrdersEndingDuringAWindow<When_orders_end_during_a_window_with_the_stream.Fixture>(fixture, output),
        IClassFixture<When_orders_end_during_a_window_with_the_stream.Fixture>
{
    public sealed class Fixture : WindowFixtureBase
    {
        protected override bool Streaming => true;
    }
}
