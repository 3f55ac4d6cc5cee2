namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A processor whose simulated market moves only when a test ticks it: every fill happens when the test says, so the
/// exact event sequence of an order can be asserted.
/// </summary>
public class ManualMarketFixture : ProcessorFixture
{
    protected override Dictionary<string, string?> SimulatorSettings => new() { ["Simulator:AutomaticMarketTicks"] = "false" };
}
