namespace OrderProcessor.Cli.Bench;

/// <summary>The steady rates measured again after <see cref="DayPreload"/> added Orders final orders over Users users.</summary>
public sealed record Preloaded(int Orders, int Users, int PerUser, IReadOnlyList<RateResult> Rates);
