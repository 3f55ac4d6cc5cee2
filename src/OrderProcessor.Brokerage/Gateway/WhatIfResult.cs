using OrderProcessor.Brokerage.Ibkr.Json;

namespace OrderProcessor.Brokerage.Gateway;

/// <summary>Margin impact of an order, IBKR's formatted strings parsed into numbers (with currency where IBKR gives one).</summary>
public sealed record WhatIfResult(
    FormattedNumber? Amount,
    FormattedNumber? Commission,
    FormattedNumber? Total,
    WhatIfFigure Equity,
    WhatIfFigure InitialMargin,
    WhatIfFigure MaintenanceMargin,
    WhatIfFigure Position,
    string? Warning,
    string? Error)
{
    public bool HasError => !string.IsNullOrWhiteSpace(Error);
}
