namespace OrderProcessor.Simulator.Orders;

/// <summary>An order the simulator accepted. Mutable; read and change it only while holding the <see cref="OrderBook"/>'s gate.</summary>
public sealed class SimOrder
{
    public required long OrderId { get; init; }

    public required string UserId { get; init; }

    public required string AccountId { get; init; }

    public required int Conid { get; init; }

    public required string Side { get; init; }

    public required string OrderType { get; set; }

    public required decimal Quantity { get; set; }

    public decimal? Price { get; set; }

    public decimal? AuxPrice { get; set; }

    public decimal? TrailingAmt { get; set; }

    public string? TrailingType { get; set; }

    public required string Tif { get; set; }

    public string? COID { get; init; }

    /// <summary>The parent's cOID, as the bracket child ticket named it.</summary>
    public string? ParentId { get; init; }

    public long? ParentOrderId { get; init; }

    public string? OcaGroup { get; init; }

    public required string Status { get; set; }

    public decimal FilledQuantity { get; set; }

    public decimal? AvgPrice { get; set; }

    /// <summary>When the order was registered (set on acceptance: a ticket held for its own question is accepted later).</summary>
    public DateTimeOffset AcceptedAt { get; set; }

    public DateTimeOffset LastChangeAt { get; set; }

    /// <summary>When the order became final (filled, cancelled, inactive); null while it works.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>Every fill, in order: trades list them one by one, each on its own day.</summary>
    public List<SimExecution> Executions { get; } = [];

    public DateTimeOffset? LastExecutionAt { get; set; }

    public bool CancelRequested { get; set; }

    /// <summary>A bracket child waits until its parent is filled.</summary>
    public bool AwaitingParent { get; set; }

    /// <summary>A stop-limit or trailing-limit order whose stop was hit now works as a limit order.</summary>
    public bool Triggered { get; set; }

    public decimal? TrailingStop { get; set; }

    public bool EvaluatedOnce { get; set; }

    public decimal Remaining => Quantity - FilledQuantity;

    public bool IsTerminal => OrderStatuses.IsTerminal(Status);

    /// <summary>Makes the order final with <paramref name="status"/> (Filled, Cancelled or Inactive) at <paramref name="at"/>.</summary>
    public void End(string status, DateTimeOffset at)
    {
        if (!OrderStatuses.IsTerminal(status))
            throw new ArgumentException($"{status} is not a final status", nameof(status));
        Status = status;
        CancelRequested = false;
        LastChangeAt = at;
        EndedAt = at;
    }
}
