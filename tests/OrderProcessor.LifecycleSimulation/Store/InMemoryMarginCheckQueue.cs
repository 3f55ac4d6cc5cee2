using OrderProcessor.Execution;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Store;

/// <summary><see cref="IMarginCheckQueue"/> over a <see cref="SimDatabase"/>: claims honour the users' session leases, as in PostgreSQL.</summary>
public sealed class InMemoryMarginCheckQueue(SimDatabase db, string instanceId, SimClock clock, LifecycleSettings settings, TimeSpan userLease, Func<Guid> newToken)
    : IMarginCheckQueue
{
    public Task<IReadOnlyList<(MarginCheckRequest Request, Guid Token)>> ClaimDueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var due = db.MarginChecks.Values.Where(m => m.AnsweredAt is null && m.DueAt <= now && !db.HeldByAnother(m.UserId, instanceId, now))
            .OrderBy(m => m.DueAt).ThenBy(m => m.CheckId).Take(limit).ToList();
        var owned = db.TryOwn(instanceId, due.Select(d => d.UserId), now, userLease);
        var claimed = new List<(MarginCheckRequest, Guid)>();
        foreach (var request in due.Where(d => owned.Contains(d.UserId)))
        {
            var token = newToken();
            StandaloneMarginCheck.Claim(request, token, now, settings);
            claimed.Add((Copy(request), token));
        }

        return Task.FromResult<IReadOnlyList<(MarginCheckRequest, Guid)>>(claimed);
    }

    public Task UpdateAsync(Guid checkId, Func<MarginCheckRequest, OrderDecision?> decide, CancellationToken cancellationToken)
    {
        if (db.MarginChecks.TryGetValue(checkId, out var stored))
        {
            var request = Copy(stored);
            if (decide(request) is { } decision && db.Commit([], decision, clock.Now))
            {
                db.MarginChecks[checkId] = request;
            }
        }

        return Task.CompletedTask;
    }

    private static MarginCheckRequest Copy(MarginCheckRequest request) => new()
    {
        CheckId = request.CheckId,
        UserId = request.UserId,
        AccountId = request.AccountId,
        Command = request.Command,
        CorrelationId = request.CorrelationId,
        MessageId = request.MessageId,
        ResponseAddress = request.ResponseAddress,
        RequestId = request.RequestId,
        TraceParent = request.TraceParent,
        DueAt = request.DueAt,
        ClaimToken = request.ClaimToken,
        Attempts = request.Attempts,
        LastReason = request.LastReason,
        CreatedAt = request.CreatedAt,
        AnsweredAt = request.AnsweredAt,
    };
}
