using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>The 200 orders across a 60 s window the guard knows from its schedule (region Test, on the wall clock).</summary>
public sealed class When_200_orders_arrive_across_a_scheduled_window(When_200_orders_arrive_across_a_scheduled_window.Fixture fixture, ITestOutputHelper output)
    : OrdersAcrossAWindow<When_200_orders_arrive_across_a_scheduled_window.Fixture>(fixture, output),
        IClassFixture<When_200_orders_arrive_across_a_scheduled_window.Fixture>
{
    public sealed class Fixture : WindowFixture
    {
        protected override bool Scheduled => true;
    }
}
