using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>
/// The 200 orders across a 60 s outage of IBKR's back-end that no schedule announces (<c>PUT /__sim/maintenance</c>
/// alone): the guard must detect it from IBKR's answers and probe for its end.
/// </summary>
public sealed class When_200_orders_arrive_across_an_unscheduled_outage(When_200_orders_arrive_across_an_unscheduled_outage.Fixture fixture, ITestOutputHelper output)
    : OrdersAcrossAWindow<When_200_orders_arrive_across_an_unscheduled_outage.Fixture>(fixture, output),
        IClassFixture<When_200_orders_arrive_across_an_unscheduled_outage.Fixture>
{
    public sealed class Fixture : WindowFixture
    {
        protected override bool Scheduled => false;
    }
}
