using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Halts;

/// <summary>A halt lives in PostgreSQL, not in a process: a processor started after it (a deployment, a crash) still refuses the scope.</summary>
public sealed class When_halts_survive_a_restart(ProcessorFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_still_refuse_the_halted_user_after_the_processor_restarts()
    {
        var (exit, text) = await OrdersCliProcess.RunAsync(fixture.Servers, ["halt", "--user", "alice", "--reason", "before the restart"]);
        output.WriteLine($"orders halt --user alice: exit {exit}: {text.Trim()}");
        Assert.Equal(0, exit);

        await fixture.RestartProcessorAsync();

        var refused = TestOrders.Limit() with { Conid = 9301 };
        await fixture.Downstream.Publisher.Publish(refused);
        var events = await fixture.Downstream.WaitForAsync(refused.OrderId, e => e.Any(x => x.Event is OrderRejected));
        var rejection = (OrderRejected)events.Single(x => x.Event is OrderRejected).Event;
        output.WriteLine($"after the restart: {rejection.ReasonCode}: {rejection.Reason}");
        Assert.Equal(RejectionReasonCode.TradingHalted, rejection.ReasonCode);

        var (list, listText) = await OrdersCliProcess.RunAsync(fixture.Servers, ["halts", "--history"]);
        output.WriteLine($"orders halts --history: exit {list}\n{listText}");
        Assert.Contains("user alice", listText, StringComparison.Ordinal);

        Assert.Equal(0, (await OrdersCliProcess.RunAsync(fixture.Servers, ["resume", "--user", "alice"])).Exit);
        var accepted = TestOrders.Market() with { Conid = 9302 };
        await fixture.Downstream.Publisher.Publish(accepted);
        await fixture.WaitForStatusAsync(accepted.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(30));
    }
}
