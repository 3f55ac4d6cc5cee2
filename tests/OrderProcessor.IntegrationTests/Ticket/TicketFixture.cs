using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>
/// One processor and simulator for every ticket-shape class (the <see cref="TicketCollection"/>): the classes run one
/// after another on it, so the whole folder pays for one start instead of nine. The market moves only when a test ticks
/// it, so each fill happens at the price the test pinned. Each test uses conids of its own (41xxx) or the catalog's
/// special instruments, and cOIDs are per order, so the tests cannot see each other's orders.
/// </summary>
public sealed class TicketFixture : ManualMarketFixture
{
    /// <summary>
    /// The harness's question list (SimulatorUnderTest.ProcessorSettings, indices 0-5) replaces the guard's default and
    /// predates IBKR's cash-quantity notice: o10223 is added as the production default has it, or every cash order here
    /// would be refused as an unconfirmed question.
    /// </summary>
    protected override Dictionary<string, string?> ProcessorSettings => new() { ["Brokerage:Questions:AllowedIds:6"] = "o10223" };
}

[CollectionDefinition(Name)]
public sealed class TicketCollection : ICollectionFixture<TicketFixture>
{
    public const string Name = "ticket shapes";
}
