namespace OrderProcessor.Brokerage.Configuration;

/// <summary>The question policy: which IBKR order-reply message ids are confirmed (and suppressed at session start).</summary>
public sealed class QuestionOptions
{
    /// <summary>
    /// Default allow-list: market-order risk (o10151), stop-order risk (o10152), no market data (o354),
    /// tick size (o382), "will trigger immediately" (o403) and the cash-quantity notice (o10223: IBKR works a cash order
    /// with a maximum size and stops once the cash is spent, which is what a command with a cash quantity asks for).
    /// Price-deviation (o163) is deliberately not in it.
    /// </summary>
    public static IReadOnlyList<string> DefaultAllowedIds { get; } = ["o10151", "o10152", "o354", "o382", "o403", "o10223"];

    /// <summary>
    /// Message ids that are confirmed and suppressed; when none are configured, <see cref="DefaultAllowedIds"/>.
    /// (No default in the property itself: the configuration binder appends to a pre-filled list instead of replacing it.)
    /// IBKR accepts at most 51 ids per suppress call.
    /// </summary>
    public IList<string>? AllowedIds { get; set; }

    /// <summary>The allow-list in force.</summary>
    public IReadOnlyList<string> EffectiveAllowedIds => AllowedIds is { Count: > 0 } ids ? [.. ids] : DefaultAllowedIds;

    /// <summary>Upper bound of reply rounds for one placement before giving up as rejected.</summary>
    public int MaxReplyRounds { get; set; } = 10;
}
