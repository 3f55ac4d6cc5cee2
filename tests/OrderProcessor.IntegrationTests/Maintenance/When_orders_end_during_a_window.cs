using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>Orders ending at the exchange during a window, followed by polling IBKR's live orders and trades.</summary>
public sealed class When_orders_end_during_a_window(When_orders_end_during_a_window.Fixture fixture, ITestOutputHelper output)
    : OrdersEndingDuringAWindow<When_orders_end_during_a_window.Fixture>(fixture, output), IClassFixture<When_orders_end_during_a_window.Fixture>
{
    public sealed class Fixture : WindowFixtureBase;
}
