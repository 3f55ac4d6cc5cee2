using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>IBKR's what-if answer, parsed from its formatted strings.</summary>
public sealed record WhatIfFigures(
    string? Currency,
    MarginFigure Initial,
    MarginFigure Maintenance,
    MarginFigure Equity,
    decimal? Commission,
    decimal? Amount,
    string? Warning,
    string? Error);
