using System.Collections.Concurrent;

namespace OrderProcessor.Brokerage.Sessions;

/// <summary>
/// The per-user gates, and which user's gate the current async flow holds exclusively (so that the calls made
/// inside an exclusive sequence, including a session re-init, pass their own gate).
/// </summary>
internal sealed class UserCallGates
{
    private static readonly AsyncLocal<string?> ExclusiveHolder = new();
    private readonly ConcurrentDictionary<string, UserCallGate> _gates = new(StringComparer.Ordinal);

    public static bool HoldsExclusive(string userId) => string.Equals(ExclusiveHolder.Value, userId, StringComparison.Ordinal);

    /// <summary>Gates in memory; for the pruning figures.</summary>
    public int Count => _gates.Count;

    public Task<IDisposable> EnterSharedAsync(string userId, CancellationToken cancellationToken) =>
        EnterLiveGateAsync(userId, static (gate, ct) => gate.EnterSharedAsync(ct), cancellationToken);

    /// <summary>
    /// Takes the user's gate alone. The caller marks its flow with <see cref="MarkExclusive"/> right after the
    /// await (an AsyncLocal set inside an awaited method would not reach the caller).
    /// </summary>
    public Task<IDisposable> EnterExclusiveAsync(string userId, CancellationToken cancellationToken) =>
        EnterLiveGateAsync(userId, static (gate, ct) => gate.EnterExclusiveAsync(ct), cancellationToken);

    /// <summary>Enters the user's current gate; one retired by the pruner meanwhile is dropped and a fresh one entered.</summary>
    private async Task<IDisposable> EnterLiveGateAsync(
        string userId, Func<UserCallGate, CancellationToken, Task<IDisposable?>> enter, CancellationToken cancellationToken)
    {
        while (true)
        {
            var gate = GateOf(userId);
            if (await enter(gate, cancellationToken) is { } lease)
            {
                return lease;
            }

            _gates.TryRemove(new KeyValuePair<string, UserCallGate>(userId, gate));
        }
    }

    public bool Contains(string userId) => _gates.ContainsKey(userId);

    /// <summary>Forgets an idle user's gate (only when nobody holds or waits for it).</summary>
    public bool TryForget(string userId) =>
        _gates.TryGetValue(userId, out var gate) && gate.TryRetire() && _gates.TryRemove(new KeyValuePair<string, UserCallGate>(userId, gate));

    public static IDisposable MarkExclusive(string userId)
    {
        var previous = ExclusiveHolder.Value;
        ExclusiveHolder.Value = userId;
        return new Restore(previous);
    }

    private UserCallGate GateOf(string userId) => _gates.GetOrAdd(userId, static _ => new UserCallGate());

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => ExclusiveHolder.Value = previous;
    }
}
