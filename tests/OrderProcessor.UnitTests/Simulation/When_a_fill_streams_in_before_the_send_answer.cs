using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Ibkr;
using OrderProcessor.LifecycleSimulation.Schedule;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Simulation;

/// <summary>
/// IBKR accepts and fills the order and streams both before the answer to the place reaches the processor: the stream's
/// reports meet a saga still sending (left to the send), are kept, and are applied as soon as the answer is written,
/// without waiting for a REST read.
/// </summary>
public sealed class When_a_fill_streams_in_before_the_send_answer(ITestOutputHelper output)
{
    [Fact]
    public void Should_report_the_fill_when_the_answer_is_written_without_a_read()
    {
        using var script = new StreamScript();
        script.Place(CallMode.ActThenHold, connectFirst: true);
        script.Fill();
        script.DeliverAll();
        var whileSending = (script.Saga.Status, script.Fills.Count, script.World.Processes[0].Intake!.Retained);
        var reads = script.LiveOrderReads;

        script.Answer("place");
        output.WriteLine($"while sending: {whileSending.Status}, {whileSending.Count} fill events, {whileSending.Retained} reports kept; "
            + $"after the answer: {script.Saga.Status} filled {script.Saga.FilledQuantity}, events [{string.Join(", ", script.Fills)}], REST reads meanwhile {script.LiveOrderReads - reads}");

        Assert.Equal(OrderStatus.Submitting, whileSending.Status);
        Assert.Equal(0, whileSending.Count);
        Assert.True(whileSending.Retained > 0);
        Assert.Equal((OrderStatus.Filled, 10m), (script.Saga.Status, script.Saga.FilledQuantity));
        Assert.Equal(reads, script.LiveOrderReads);
        Assert.Empty(script.Violations());
    }
}
