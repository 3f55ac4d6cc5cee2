using System.ComponentModel.DataAnnotations;

namespace OrderProcessor.Configuration;

/// <summary>
/// Pre-trade risk controls (section <c>Risk</c>): the defaults of every account and user; a row of <c>risk_limits</c>
/// overrides them per account or user. A null limit is off.
/// </summary>
public sealed class RiskOptions
{
    public const string Section = "Risk";

    /// <summary>Check every PlaceOrder (and ModifyOrder) against the limits.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Largest quantity of one ticket (each order of a bracket or OCA group).</summary>
    [RangeOf<decimal>("0.0001", "79228162514264337593543950335", ErrorMessage = "Risk:MaxQuantity must be positive.")]
    public decimal? MaxQuantity { get; set; } = 10_000m;

    /// <summary>Largest price × quantity of one ticket, in the contract's currency (no multiplier).</summary>
    [RangeOf<decimal>("0.01", "79228162514264337593543950335", ErrorMessage = "Risk:MaxNotional must be positive.")]
    public decimal? MaxNotional { get; set; } = 1_000_000m;

    [Range(1, 100_000, ErrorMessage = "Risk:MaxOrdersPerSecondPerAccount must be between 1 and 100000.")]
    public int? MaxOrdersPerSecondPerAccount { get; set; } = 10;

    [Range(1, 1_000_000, ErrorMessage = "Risk:MaxOrdersPerMinutePerAccount must be between 1 and 1000000.")]
    public int? MaxOrdersPerMinutePerAccount { get; set; } = 300;

    [Range(1, 100_000, ErrorMessage = "Risk:MaxOrdersPerSecondPerUser must be between 1 and 100000.")]
    public int? MaxOrdersPerSecondPerUser { get; set; } = 20;

    [Range(1, 1_000_000, ErrorMessage = "Risk:MaxOrdersPerMinutePerUser must be between 1 and 1000000.")]
    public int? MaxOrdersPerMinutePerUser { get; set; } = 600;

    /// <summary>Working orders of an account per contract and side (IBKR allows 20).</summary>
    [Range(1, 10_000, ErrorMessage = "Risk:MaxWorkingOrdersPerContractSide must be between 1 and 10000.")]
    public int? MaxWorkingOrdersPerContractSide { get; set; } = 20;

    /// <summary>Same account, contract, side, quantity and price within this is a probable duplicate; zero is off.</summary>
    [RangeOf<TimeSpan>("00:00:00", "1.00:00:00", ErrorMessage = "Risk:DuplicateWindow must be between 0 and 24 h.")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Largest distance, in percent, of a limit price (LMT, STOP_LIMIT) from IBKR's reference price; null is off. A value
    /// costs one paced what-if per limit order (its first work), unless the order asked for a margin check anyway.
    /// </summary>
    [RangeOf<decimal>("0.01", "1000", ErrorMessage = "Risk:PriceBandPercent must be between 0.01 and 1000.")]
    public decimal? PriceBandPercent { get; set; }

    /// <summary>What to do when a control needs IBKR's reference price and there is none.</summary>
    public WhenNoReferencePrice WhenNoReferencePrice { get; set; } = WhenNoReferencePrice.Reject;

    /// <summary>
    /// How market and trailing-stop orders get a reference price for <see cref="MaxNotional"/>: <c>Skip</c> (default)
    /// leaves them unchecked; <c>WhatIf</c> runs IBKR's what-if first (one paced call per market order) and counts the
    /// notional at its order value. Fine with no MaxNotional configured: a row of <c>risk_limits</c> may set one.
    /// </summary>
    public ReferencePriceSource ReferencePriceForMarketOrders { get; set; } = ReferencePriceSource.Skip;

    /// <summary>How long the limits read from <c>risk_limits</c> are kept (a change is also announced by NOTIFY).</summary>
    [RangeOf<TimeSpan>("00:00:00", "00:10:00", ErrorMessage = "Risk:LimitsCacheDuration must be between 0 and 10 min.")]
    public TimeSpan LimitsCacheDuration { get; set; } = TimeSpan.FromSeconds(2);
}
