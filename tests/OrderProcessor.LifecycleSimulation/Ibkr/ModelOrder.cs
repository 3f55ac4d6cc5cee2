using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>One order IBKR accepted, as the model keeps it.</summary>
public sealed class ModelOrder
{
    public required string BrokerOrderId { get; init; }

    public required string ClientOrderId { get; init; }

    public required string UserId { get; init; }

    public required string AccountId { get; init; }

    public required OrderTicket Ticket { get; set; }

    public required DateTimeOffset AcceptedAt { get; init; }

    /// <summary>The step of the schedule at which IBKR accepted it.</summary>
    public required int AcceptedStep { get; init; }

    /// <summary>The instance (and incarnation) whose request placed it.</summary>
    public string SentBy { get; init; } = string.Empty;

    public BrokerOrderState State { get; set; } = BrokerOrderState.Submitted;

    public decimal Filled { get; set; }

    public decimal? AveragePrice { get; set; }

    /// <summary>When it stopped working (filled, cancelled, inactive); null while it works.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    public bool CancelRequested { get; set; }

    /// <summary>The first cOID of the OCA request it came in (null outside an OCA group).</summary>
    public string? OcaKey { get; init; }

    /// <summary>What the ticket asks beyond its type, quantity and prices (see <see cref="ModelTerms"/>).</summary>
    public ModelTerms Terms { get; init; } = ModelTerms.None;

    /// <summary>
    /// The price every execution of an order with <see cref="Terms"/> gets (its midpoint for MIDPRICE); null for the
    /// others, whose executions are priced as they always were.
    /// </summary>
    public decimal? ExecutionPrice { get; init; }

    /// <summary>For a cash-quantity order, the units IBKR converted its cash into at <see cref="ExecutionPrice"/>, rounded down to 0.0001.</summary>
    public decimal? CashUnits { get; init; }

    /// <summary>Whether IBKR tells this cash-quantity order's total (<c>totalSize</c>, <c>remainingQuantity</c>) while it works.</summary>
    public bool TellsTotal { get; init; } = true;

    /// <summary>The order's size in units: the ticket's, or what a cash quantity came to.</summary>
    public decimal Quantity => CashUnits ?? Ticket.Quantity;

    public bool IsWorking => EndedAt is null;
}
