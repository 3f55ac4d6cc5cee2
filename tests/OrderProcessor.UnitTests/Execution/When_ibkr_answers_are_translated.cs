using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Execution;
using OrderProcessor.Execution.Work;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Execution;

public sealed class When_ibkr_answers_are_translated
{
    private static LiveOrder Live(string coid, string status, decimal filled) =>
        new() { OrderRef = coid, OrderId = "77", Status = status, FilledQuantity = filled, RemainingQuantity = 10 - filled, TotalSize = 10 };

    [Fact]
    public void Should_read_a_live_orders_list_that_names_an_order_twice_as_its_most_advanced_entry()
    {
        var observations = OutcomeTranslator.Observations([Live("op-a", "Submitted", 2), Live("op-a", "Filled", 10), Live("op-a", "Submitted", 4)], null);

        var only = Assert.Single(observations).Value;
        Assert.Equal((BrokerOrderState.Filled, 10m), (only.State, only.FilledQuantity));
    }

    [Fact]
    public void Should_type_an_undocumented_status_as_unknown_never_as_an_end()
    {
        var observation = OutcomeTranslator.Observation(Live("op-b", "Flying", 0))!;
        Assert.Equal(BrokerOrderState.Unknown, observation.State);
        Assert.False(BrokerOrderStates.IsEnded(observation.State));
    }

    [Fact]
    public void Should_count_an_execution_listed_twice_once()
    {
        Trade Fill(string id) => new() { ExecutionId = id, OrderRef = "op-c", OrderId = "9", Size = 5, Price = 100 };
        var (filled, average, orderId) = OutcomeTranslator.Executions([Fill("e1"), Fill("e1"), Fill("e2")], "op-c");
        Assert.Equal((10m, 100m, "9"), (filled, average!.Value, orderId));
    }

    [Theory]
    [InlineData(0, 2, true)]
    [InlineData(5, 7, true)]
    [InlineData(6, 7, false)]
    public void Should_read_the_trades_of_as_many_days_as_reach_back_to_the_first_send(int daysAgo, int days, bool covers)
    {
        var now = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(new TradeDays(days, covers), TradeDays.Covering(now.AddDays(-daysAgo), now));
    }
}
