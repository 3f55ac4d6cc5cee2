using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>Standalone MarginChecks waiting for their what-if, claimed like orders' work by the instance holding the user's session.</summary>
public interface IMarginCheckQueue
{
    /// <summary>Claims up to <paramref name="limit"/> due checks of users this instance holds or can take, committed before returning.</summary>
    Task<IReadOnlyList<(MarginCheckRequest Request, Guid Token, long Epoch)>> ClaimDueAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// A check was just kept on this instance: the next claim looks for due checks whatever the time since its last look
    /// (otherwise it looks at most every <c>Lifecycle:MarginCheckPollInterval</c>).
    /// </summary>
    void Expect();

    /// <summary>
    /// Applies a decision about a claimed check (null: the claim is gone and nothing is written), only while this
    /// instance holds the user's lease under <paramref name="epoch"/>.
    /// </summary>
    Task UpdateAsync(Guid checkId, long epoch, Func<MarginCheckRequest, OrderDecision?> decide, CancellationToken cancellationToken);
}
