namespace OrderProcessor.Brokerage.Pacing;

/// <summary>At most <see cref="Limit"/> requests in any <see cref="Window"/>, counted per <see cref="Key"/>.</summary>
internal sealed record PacingRule(string Key, int Limit, TimeSpan Window);
