using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>No pre-trade risk control: every order passes (the behaviour before the controls).</summary>
public sealed class NoRiskChecks : IPreTradeRiskCheck
{
    public IReadOnlyCollection<string> LockKeys(PlaceOrder command) => [];

    public RiskReads Prepare(PlaceOrder command) => new(BatchRead<IReadOnlyList<HaltView>>.Of([]), null);

    public Task<RiskVerdict> CheckAsync(OrderProcessorDbContext db, PlaceOrder command, DateTimeOffset now, RiskReads reads, CancellationToken ct) =>
        Task.FromResult(RiskVerdict.Pass);

    public Task<RiskVerdict> CheckModifyAsync(OrderProcessorDbContext db, OrderSaga order, ModifyOrder command, CancellationToken ct) =>
        Task.FromResult(RiskVerdict.Pass);
}
