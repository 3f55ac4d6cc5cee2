using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>The pre-trade risk controls, run in the consumer's unit of work before an order is accepted or modified.</summary>
public interface IPreTradeRiskCheck
{
    /// <summary>The advisory locks the check needs held until commit ("risk-account:{A}", "risk-user:{U}").</summary>
    IReadOnlyCollection<string> LockKeys(PlaceOrder command);

    Task<RiskVerdict> CheckAsync(OrderProcessorDbContext db, PlaceOrder command, DateTimeOffset now, CancellationToken ct);

    Task<RiskVerdict> CheckModifyAsync(OrderProcessorDbContext db, OrderSaga order, ModifyOrder command, CancellationToken ct);
}
