using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>
/// What the pre-trade controls of one PlaceOrder read, prepared before its unit of work so the reads go to PostgreSQL with
/// the consumer's locks and inbox check, one round trip: the active halts (under their shared lock) and, with the
/// controls on, the account's and the user's limit rows and the working orders of each contract and side.
/// </summary>
public sealed record RiskReads(BatchRead<IReadOnlyList<HaltView>> Halts, BatchRead<RiskReads.LimitsAndWorking>? Limits)
{
    public IReadOnlyList<BatchRead> All => Limits is null ? [Halts] : [Halts, Limits];

    /// <summary>The limit rows that apply and the working-order count of each contract and side the tickets name.</summary>
    public sealed record LimitsAndWorking(RiskLimitRow? Account, RiskLimitRow? User,
        IReadOnlyList<(WorkingOrdersCounter.ContractSide Side, int Working)> Working);
}
