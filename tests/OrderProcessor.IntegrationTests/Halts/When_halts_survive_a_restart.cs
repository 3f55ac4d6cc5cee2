using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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

        // Readiness names the halt (Healthy: a halt is an operator's decision), and no longer once it is resumed.
        var halted = await HaltsEntryAsync();
        output.WriteLine($"trading-halts {halted.Status}: {halted.Description}; data {JsonSerializer.Serialize(halted.Data)}");
        Assert.Equal(HealthStatus.Healthy, halted.Status);
        Assert.Contains("user alice since", halted.Description, StringComparison.Ordinal);
        Assert.Contains("before the restart", halted.Description, StringComparison.Ordinal);

        Assert.Equal(0, (await OrdersCliProcess.RunAsync(fixture.Servers, ["resume", "--user", "alice"])).Exit);
        var resumed = await HaltsEntryAsync();
        output.WriteLine($"after the resume, trading-halts {resumed.Status}: {resumed.Description}");
        Assert.Equal((HealthStatus.Healthy, "no trading halt"), (resumed.Status, resumed.Description));
        var accepted = TestOrders.Market() with { Conid = 9302 };
        await fixture.Downstream.Publisher.Publish(accepted);
        await fixture.WaitForStatusAsync(accepted.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(30));
    }

    private async Task<HealthReportEntry> HaltsEntryAsync() =>
        (await fixture.Processor.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(OrderProcessorServiceCollectionExtensions.ReadyTag))).Entries["trading-halts"];
}
