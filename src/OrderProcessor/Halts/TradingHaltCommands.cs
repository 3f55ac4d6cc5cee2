using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Halts;

/// <summary>
/// Halts and resumes trading (kill switch) in the caller's transaction: the <c>trading_halts</c> row, the answering
/// event (the caller writes the decision to the outbox) and a <c>NOTIFY trading_halts_changed</c> (delivered at commit:
/// it only wakes the worker and the sweeper; every decision reads the table itself). Used by the CLI, the bus consumers
/// and tests alike.
/// </summary>
public static class TradingHaltCommands
{
    /// <summary>The channel of <c>NOTIFY</c> after every change of <c>trading_halts</c>.</summary>
    public const string Channel = "trading_halts_changed";

    public const int MaxReasonLength = 1000;
    public const int MaxNameLength = 128;

    /// <summary>
    /// Halts the scope. A scope already halted is not halted twice (one active halt per scope): the existing halt answers,
    /// and <see cref="HaltRequest.CancelWorking"/> on it asks its sweep (again). Halts are decided one after the other (a
    /// transaction lock), on every instance and the CLI.
    /// </summary>
    public static async Task<HaltOutcome> HaltAsync(OrderProcessorDbContext db, HaltRequest request, EventStamp stamp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var key = HaltScopes.KeyOf(request.Scope, request.AccountId, request.UserId);
        if (key is null || key.Length > MaxNameLength || string.IsNullOrWhiteSpace(request.Reason) || request.HaltId == Guid.Empty)
        {
            var why = key is null ? $"a halt of scope {request.Scope} needs {(request.Scope == HaltScope.Account ? "accountId" : "userId")}"
                : key.Length > MaxNameLength ? $"the scope key is longer than {MaxNameLength} characters"
                : request.HaltId == Guid.Empty ? "haltId is required" : "a halt needs a reason";
            return Refused(request.HaltId, nameof(HaltTrading), request, RejectionReasonCode.ValidationFailed, why + "; nothing was halted.", stamp);
        }

        var scope = HaltScopes.NameOf(request.Scope);
        await LockHaltsAsync(db, ct);
        var active = await db.TradingHalts.SingleOrDefaultAsync(h => h.Scope == scope && h.ScopeKey == key && h.ResumedAt == null, ct);
        var changed = false;
        if (active is null)
        {
            if (await db.TradingHalts.AsNoTracking().AnyAsync(h => h.HaltId == request.HaltId, ct))
            {
                return Refused(request.HaltId, nameof(HaltTrading), request, RejectionReasonCode.ConflictingDuplicate,
                    $"halt id {request.HaltId} was already used by a halt that has ended; halt again under a new id.", stamp);
            }

            active = new TradingHaltRow
            {
                HaltId = request.HaltId,
                Scope = scope,
                ScopeKey = key,
                Reason = Clip(request.Reason, MaxReasonLength)!,
                CancelWorking = request.CancelWorking,
                HaltedBy = Clip(request.By, MaxNameLength),
                HaltedAt = stamp.At,
            };
            db.TradingHalts.Add(active);
            changed = true;
        }
        else if (request.CancelWorking && !active.CancelWorking)
        {
            active.CancelWorking = true;
            active.CancelSweptAt = null;
            changed = true;
        }

        await NotifyAsync(db, ct);
        var halted = new TradingHalted
        {
            Scope = request.Scope,
            AccountId = request.Scope == HaltScope.Account ? key : null,
            UserId = request.Scope == HaltScope.User ? key : null,
            Reason = active.Reason,
            CancelWorking = active.CancelWorking,
            HaltedBy = active.HaltedBy,
        };
        return new HaltOutcome(active, changed, OrderPlacement.Standalone(active.HaltId, halted, stamp), null);
    }

    /// <summary>Ends the active halt of the scope; refused (NotFound) when the scope is not halted.</summary>
    public static async Task<HaltOutcome> ResumeAsync(OrderProcessorDbContext db, ResumeRequest request, EventStamp stamp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var key = HaltScopes.KeyOf(request.Scope, request.AccountId, request.UserId);
        if (key is null)
        {
            return Refused(request.ResumeId, nameof(ResumeTrading), request, RejectionReasonCode.ValidationFailed,
                $"a resume of scope {request.Scope} needs {(request.Scope == HaltScope.Account ? "accountId" : "userId")}; nothing was resumed.", stamp);
        }

        var scope = HaltScopes.NameOf(request.Scope);
        await LockHaltsAsync(db, ct);
        var active = await db.TradingHalts.SingleOrDefaultAsync(h => h.Scope == scope && h.ScopeKey == key && h.ResumedAt == null, ct);
        if (active is null)
        {
            return Refused(request.ResumeId, nameof(ResumeTrading), request, RejectionReasonCode.NotFound,
                $"trading is not halted for {new HaltView(Guid.Empty, request.Scope, key, string.Empty, stamp.At, null).ScopeText}; nothing to resume.", stamp);
        }

        active.ResumedAt = stamp.At;
        active.ResumedBy = Clip(request.By, MaxNameLength);
        active.ResumeReason = Clip(request.Reason, MaxReasonLength);
        await NotifyAsync(db, ct);
        var resumed = new TradingResumed
        {
            Scope = request.Scope,
            AccountId = request.Scope == HaltScope.Account ? key : null,
            UserId = request.Scope == HaltScope.User ? key : null,
            Reason = active.ResumeReason,
            ResumedBy = active.ResumedBy,
            HaltedAt = active.HaltedAt,
        };
        return new HaltOutcome(active, true, OrderPlacement.Standalone(active.HaltId, resumed, stamp), null);
    }

    private static HaltOutcome Refused(Guid id, string command, HaltRequest request, RejectionReasonCode code, string reason, EventStamp stamp) =>
        new(null, false, CommandRefusal.Of(id, command, request.UserId, request.AccountId, code, reason, [], stamp), reason);

    private static HaltOutcome Refused(Guid id, string command, ResumeRequest request, RejectionReasonCode code, string reason, EventStamp stamp) =>
        new(null, false, CommandRefusal.Of(id, command, request.UserId, request.AccountId, code, reason, [], stamp), reason);

    /// <summary>
    /// The halts change one at a time, and never while a decision that read them is still open: every reader holds the
    /// same key shared until its commit (<see cref="TradingHaltStore"/>), so a claim or order that commits after a halt's
    /// commit has read that halt.
    /// </summary>
    private static async Task LockHaltsAsync(OrderProcessorDbContext db, CancellationToken ct) =>
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({TradingHaltStore.LockKey}, 0))", ct);

    private static async Task NotifyAsync(OrderProcessorDbContext db, CancellationToken ct) =>
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_notify({Channel}, '')", ct);

    private static string? Clip(string? text, int length) =>
        text is null ? null : text.Trim() is var trimmed && trimmed.Length > length ? trimmed[..length] : text.Trim();
}
