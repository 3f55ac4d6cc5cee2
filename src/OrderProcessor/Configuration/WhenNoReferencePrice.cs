namespace OrderProcessor.Configuration;

/// <summary>What a control that needs IBKR's reference price does without one (<c>Risk:WhenNoReferencePrice</c>).</summary>
public enum WhenNoReferencePrice
{
    /// <summary>The order is rejected (ReferencePriceUnavailable), nothing sent.</summary>
    Reject,

    /// <summary>The order goes on unchecked by that control.</summary>
    Allow,
}
