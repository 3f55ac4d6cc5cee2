using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Halts;

/// <summary>The active trading halts (kill switch), read inside the caller's transaction so a committed halt is seen at once.</summary>
public interface ITradingHalts
{
    /// <summary>The active halt that covers the user or the account (or everyone), if any.</summary>
    Task<HaltView?> ActiveForAsync(OrderProcessorDbContext db, string? userId, string? accountId, CancellationToken ct);
}
