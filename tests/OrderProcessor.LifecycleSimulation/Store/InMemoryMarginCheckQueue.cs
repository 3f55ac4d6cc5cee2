using OrderProcessor.Execution;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Store;

/// <summary><see cref="IMarginCheckQueue"/> over a <see cref="SimDatabase"/>: claims honour the users' session leases, as in PostgreSQL.</summary>
public sealed class InMemoryMarginCheckQueue(SimDatabase db, InMemoryOrderStore leases, string leaseOwner, SimClock clock, LifecycleSettings settings, Func<Guid> newToken)
    : IMarginCheckQueue
{
    public Task<IReadOnlyList<(MarginCheckRequest Request, Guid Token, long Epoch)>> ClaimDueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var due = db.MarginChecks.Values.Where(m => m.AnsweredAt is null && m.DueAt <= now && !db.HeldByAnother(m.UserId, leaseOwner, now))
            .OrderBy(m => m.DueAt).ThenBy(m => m.CheckId).Take(limit).ToList();
        var owned = leases.TryOwn([.. due.Select(d => d.UserId)]);
        var claimed = new List<(MarginCheckRequest, Guid, long)>();
        foreach (var request in due.Where(d => owned.ContainsKey(d.UserId)))
        {
            var token = newToken();
            StandaloneMarginCheck.Claim(request, token, now, settings);
            claimed.Add((Copy(request), token, owned[request.UserId]));
        }

        return Task.FromResult<IReadOnlyList<(MarginCheckRequest, Guid, long)>>(claimed);
    }

    /// <summary>Every claim looks here: the simulation models the lifecycle, not how often PostgreSQL is asked.</summary>
    public void Expect()
    {
    }

    public Task UpdateAsync(Guid checkId, long epoch, Func<MarginCheckRequest, OrderDecision?> decide, CancellationToken cancellationToken)
    {
        if (db.MarginChecks.TryGetValue(checkId, out var stored) && db.Holds(stored.UserId, leaseOwner, epoch, clock.Now))
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
