namespace OrderProcessor.Orders;

/// <summary>
/// A reconciliation read: what IBKR's live orders (and, for orders they no longer list, the trades) show of the
/// submission group's cOIDs. Empty when none of them is there.
/// </summary>
public sealed record ReconcileRead(Guid Claim, IReadOnlyDictionary<string, BrokerOrderObservation> Found) : WorkResult(Claim);

/// <summary>IBKR's what-if for the order.</summary>
public sealed record MarginChecked(Guid Claim, WhatIfFigures Figures) : WorkResult(Claim);

/// <summary>A read the work needed (what-if, live orders, trades) failed; nothing changed at IBKR.</summary>
public sealed record ReadFailed(Guid Claim, CallFailure Failure) : WorkResult(Claim);

/// <summary>
/// What IBKR can still tell of an order it no longer lists: the executions of its cOID in the trades since it was
/// first sent (<paramref name="TradesCoverItsLife"/> false when that is longer ago than the trades reach).
/// </summary>
public sealed record SettleRead(Guid Claim, decimal TradesFilled, decimal? TradesAveragePrice, string? BrokerOrderId, bool TradesCoverItsLife)
    : WorkResult(Claim);
