using OrderProcessor.Brokerage.Ibkr.Json;

namespace OrderProcessor.Brokerage.Gateway;

/// <summary>current / change / after of one what-if figure.</summary>
public sealed record WhatIfFigure(FormattedNumber? Current, FormattedNumber? Change, FormattedNumber? After);
