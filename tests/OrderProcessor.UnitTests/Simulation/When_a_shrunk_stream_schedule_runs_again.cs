using OrderProcessor.LifecycleSimulation.Checks;
using OrderProcessor.LifecycleSimulation.Schedule;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Simulation;

/// <summary>
/// Seeds that violated an invariant while the stream was being added to the simulation (with an earlier mix of stream
/// steps, so today's schedules of these seeds differ), run whole as regressions: 19 (a Subscribed reconcile whose read
/// failed was left to the 60 s safety interval: When_a_reconcile_read_fails keeps that one exactly), 279 and 33 (the
/// model filled an OCA member IBKR had just cancelled), 151 (a socket's read before subscribing reached IBKR after a
/// clean stop had released the lease), 147 (a fill over str then Filled over sor, taken for a double count).
/// </summary>
public sealed class When_a_shrunk_stream_schedule_runs_again(ITestOutputHelper output)
{
    [Theory]
    [InlineData(19)]
    [InlineData(33)]
    [InlineData(147)]
    [InlineData(151)]
    [InlineData(279)]
    public void Should_violate_no_invariant(int seed)
    {
        var (orders, steps) = ScheduleGenerator.Generate(seed);
        var (world, violations) = ScheduleRun.Run(orders, steps);
        output.WriteLine($"seed {seed}: {steps.Count} steps, {world.Model.Ledger.Count} orders at IBKR, {world.Db.Events.Count} events, "
            + $"stream steps {string.Join(", ", world.StreamSteps.Select(s => $"{s.Key} {s.Value}"))}; violations: {violations.Count}");
        violations.ForEach(output.WriteLine);

        Assert.Empty(violations);
    }
}
