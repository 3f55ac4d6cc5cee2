namespace OrderProcessor.Contracts;

/// <summary>A margin figure before, by and after the hypothetical order, parsed from IBKR's formatted what-if strings.</summary>
/// <param name="Current">Before the order.</param>
/// <param name="Change">The change the order would cause.</param>
/// <param name="After">After the order.</param>
public sealed record MarginFigure(decimal? Current, decimal? Change, decimal? After);
