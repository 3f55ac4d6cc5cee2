using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The state of one order (table <c>orders</c>). Every change to it is decided by <see cref="OrderLifecycle"/>, the
/// state machine; this class only holds what is persisted.
/// </summary>
public sealed class OrderSaga
{
    public Guid OrderId { get; set; }

    /// <summary>IBKR's <c>cOID</c>, derived from <see cref="OrderId"/> (see <see cref="ClientOrderId"/>).</summary>
    public string ClientOrderId { get; set; } = string.Empty;

    public string? UserId { get; set; }
    public string? AccountId { get; set; }
    public int? Conid { get; set; }
    public OrderSide? Side { get; set; }
    public decimal? Quantity { get; set; }
    public OrderType? OrderType { get; set; }
    public decimal? LimitPrice { get; set; }
    public decimal? StopPrice { get; set; }
    public decimal? TrailingAmount { get; set; }
    public TrailingUnit? TrailingUnit { get; set; }
    public TimeInForce? TimeInForce { get; set; }
    public bool OutsideRegularHours { get; set; }

    /// <summary>The cash amount IBKR fills in fractional units instead of a quantity (<c>cashQty</c>); null for an order with a quantity.</summary>
    public decimal? CashQuantity { get; set; }

    /// <summary>The security type the command gave (null: a stock, as IBKR is then told).</summary>
    public SecurityType? SecurityType { get; set; }

    public string? ListingExchange { get; set; }

    /// <summary><c>conid@EXCHANGE</c>, as the command gave it.</summary>
    public string? Conidex { get; set; }

    /// <summary>IBKR's execution algorithm (<c>strategy</c>), null for none.</summary>
    public string? AlgoStrategy { get; set; }

    /// <summary>
    /// The algorithm's parameters as a JSON object of strings (<c>{"adaptivePriority":"Normal"}</c>), stored as jsonb:
    /// the names vary by algorithm and IBKR takes them as one object, so they are kept as that object (see
    /// <see cref="AlgoParametersJson"/>). Null without an algorithm.
    /// </summary>
    public string? AlgoParameters { get; set; }

    public bool UseAdaptive { get; set; }

    public bool AllOrNone { get; set; }

    /// <summary>IBKR's <c>manualIndicator</c> as the command gave it; null when not sent (sent as given, false included).</summary>
    public bool? ManualIndicator { get; set; }

    public bool CurrencyConversion { get; set; }
    public Guid? ParentOrderId { get; set; }
    public string? OcaGroup { get; set; }
    public MarginCheckPolicy MarginCheck { get; set; }

    public OrderStatus Status { get; set; }
    public string? BrokerOrderId { get; set; }
    public decimal FilledQuantity { get; set; }
    public decimal? AveragePrice { get; set; }

    /// <summary>IBKR's last reported status (e.g. <c>PreSubmitted</c>), as IBKR spells it.</summary>
    public string? BrokerStatus { get; set; }

    /// <summary>
    /// For a bracket leg or an OCA member: the order whose submission carries this one (the bracket parent, the order
    /// that named the group). Null for an order that is submitted on its own.
    /// </summary>
    public Guid? SubmittedWithOrderId { get; set; }

    /// <summary>The IBKR work this order waits for.</summary>
    public OrderWork WorkDue { get; set; }

    /// <summary>When <see cref="WorkDue"/> may run; also the lease of a worker that is running it.</summary>
    public DateTimeOffset? WorkDueAt { get; set; }

    /// <summary>
    /// The claim of the worker running <see cref="WorkDue"/> now (null when nobody runs it). A result of IBKR work is
    /// applied as such only while it still names this claim; the result of a claim that expired or was overtaken is a
    /// late result, which may add what IBKR said but never moves the order back or re-arms work.
    /// </summary>
    public Guid? ClaimToken { get; set; }

    /// <summary>
    /// When the order (its submission group) was first sent to IBKR. IBKR refuses a repeated cOID only within 24 h, so
    /// no resend happens once this is older than <see cref="LifecycleSettings.ResendWindow"/>.
    /// </summary>
    public DateTimeOffset? FirstSentAt { get; set; }

    /// <summary>When the order was first held in its current hold episode (IBKR unavailable); null when not held.</summary>
    public DateTimeOffset? HeldSince { get; set; }

    /// <summary>When IBKR is expected back for a held order, when known (the end of a scheduled window).</summary>
    public DateTimeOffset? HoldUntil { get; set; }

    /// <summary>The maximum notional per order in force when the order was accepted (risk controls), if any.</summary>
    public decimal? RiskMaxNotional { get; set; }

    /// <summary>The price band (percent from IBKR's reference price) in force when the order was accepted, if any.</summary>
    public decimal? RiskPriceBandPercent { get; set; }

    /// <summary>Whether the order's what-if runs (also) to read IBKR's reference price for the risk controls.</summary>
    public bool ReferenceCheck { get; set; }

    /// <summary>Consecutive status polls that did not list this order although IBKR has it (see <see cref="OrderWork.Settle"/>).</summary>
    public int UnlistedPolls { get; set; }

    /// <summary>Attempts of the current work, for backoff and the bound after which the order fails.</summary>
    public int WorkAttempts { get; set; }

    /// <summary>Consecutive live-order polls that did not show the order while reconciling.</summary>
    public int ReconcileMisses { get; set; }

    /// <summary>A cancel was requested while the order could not be cancelled yet (during submission).</summary>
    public bool CancelRequested { get; set; }

    public string? CancelReason { get; set; }

    /// <summary>A modification waiting to be sent, as the ModifyOrder JSON.</summary>
    public string? PendingModification { get; set; }

    /// <summary>The reason of the last rejection or failure.</summary>
    public string? LastReason { get; set; }

    /// <summary>SHA-256 of the PlaceOrder that created the order: tells a repeat from a conflicting duplicate.</summary>
    public string CommandFingerprint { get; set; } = string.Empty;

    /// <summary>The per-order sequence number of the last event written for this order.</summary>
    public long LastEventSequence { get; set; }

    /// <summary>
    /// The hash of the last outbox row of this order. Kept here so appending an event needs no read of the outbox;
    /// <c>orders audit verify</c> recomputes the chain from the outbox itself.
    /// </summary>
    public string? LastEventHash { get; set; }

    /// <summary>The conversation the order belongs to: the correlation id of every event it causes later.</summary>
    public Guid CorrelationId { get; set; }

    /// <summary>W3C trace parent of the command that placed the order: IBKR work and events join its trace.</summary>
    public string? TraceParent { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency token, mapped to PostgreSQL's <c>xmin</c>.</summary>
    public uint Version { get; set; }

    /// <summary>The algorithm this order asks IBKR for, rebuilt from <see cref="AlgoStrategy"/> and <see cref="AlgoParameters"/>.</summary>
    public ExecutionAlgo? Algo => AlgoStrategy is null ? null : new ExecutionAlgo
    {
        Strategy = AlgoStrategy,
        Parameters = AlgoParametersJson.Read(AlgoParameters),
    };

    /// <summary>What this order asks IBKR, in the shape validation, risk and the ticket read (<see cref="TicketTerms"/>).</summary>
    public TicketTerms Terms() => new()
    {
        Conid = Conid,
        Side = Side,
        Quantity = Quantity,
        CashQuantity = CashQuantity,
        OrderType = OrderType,
        LimitPrice = LimitPrice,
        StopPrice = StopPrice,
        TrailingAmount = TrailingAmount,
        TrailingUnit = TrailingUnit,
        TimeInForce = TimeInForce,
        OutsideRegularHours = OutsideRegularHours,
        SecurityType = SecurityType,
        ListingExchange = ListingExchange,
        Conidex = Conidex,
        Algo = Algo,
        UseAdaptive = UseAdaptive,
        AllOrNone = AllOrNone,
        ManualIndicator = ManualIndicator,
        CurrencyConversion = CurrencyConversion,
    };

    /// <summary>
    /// A copy of this state, <see cref="Version"/> included. Every property is a value or an immutable string, so the copy
    /// shares nothing with the original.
    /// </summary>
    public OrderSaga Copy() => (OrderSaga)MemberwiseClone();

    /// <summary>Takes the instrument details and order instructions of <paramref name="terms"/> (not its side, size or prices).</summary>
    public void TakeInstructions(TicketTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        SecurityType = terms.SecurityType;
        ListingExchange = terms.ListingExchange;
        Conidex = terms.Conidex;
        AlgoStrategy = terms.Algo?.Strategy;
        AlgoParameters = terms.Algo is null ? null : AlgoParametersJson.Write(terms.Algo.Parameters);
        UseAdaptive = terms.UseAdaptive;
        AllOrNone = terms.AllOrNone;
        ManualIndicator = terms.ManualIndicator;
        CurrencyConversion = terms.CurrencyConversion;
    }
}
