using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Outbox;

/// <summary>A processor whose settings a test can change before restarting it (e.g. a larger Outbox:MaxBodyBytes as the fix).</summary>
public sealed class ParkingFixture : ProcessorFixture
{
    public Dictionary<string, string?> Settings { get; } = new() { ["Outbox:MaxBodyBytes"] = "16384" };

    protected override Dictionary<string, string?> ProcessorSettings => new(Settings);
}
