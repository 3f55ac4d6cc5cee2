using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>The pre-trade risk controls, run in the consumer's unit of work before an order is accepted or modified.</summary>
public interface IPreTradeRiskCheck
{
    /// <summary>The advisory locks the check needs held until commit ("risk-account:{A}", "risk-user:{U}").</summary>
    IReadOnlyCollection<string> LockKeys(PlaceOrder command);

    /// <summary>The reads <see cref="CheckAsync"/> needs for a valid PlaceOrder, for the consumer to send with its locks.</summary>
    RiskReads Prepare(PlaceOrder command);

    /// <summary>Decides a valid, new PlaceOrder from <paramref name="reads"/> (run by then) and what it still reads itself.</summary>
    Task<RiskVerdict> CheckAsync(OrderProcessorDbContext db, PlaceOrder command, DateTimeOffset now, RiskReads reads, CancellationToken ct);

    Task<RiskVerdict> CheckModifyAsync(OrderProcessorDbContext db, OrderSaga order, ModifyOrder command, CancellationToken ct);
}
