using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Halts;

/// <summary>
/// What a halt or resume decides, given what <c>trading_halts</c> holds: pure, so the PostgreSQL path
/// (<see cref="TradingHaltCommands"/>, which reads the rows under the halts' lock and writes what is decided in the
/// caller's transaction) and the lifecycle simulation decide alike.
/// </summary>
public static class HaltDecisions
{
    /// <summary>The refusal of a halt request that cannot be carried out whatever the table holds; null when it is valid.</summary>
    public static HaltOutcome? Invalid(HaltRequest request, string? key, EventStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (key is not null && key.Length <= TradingHaltCommands.MaxNameLength && !string.IsNullOrWhiteSpace(request.Reason) && request.HaltId != Guid.Empty)
        {
            return null;
        }

        var why = key is null ? $"a halt of scope {request.Scope} needs {(request.Scope == HaltScope.Account ? "accountId" : "userId")}"
            : key.Length > TradingHaltCommands.MaxNameLength ? $"the scope key is longer than {TradingHaltCommands.MaxNameLength} characters"
            : request.HaltId == Guid.Empty ? "haltId is required" : "a halt needs a reason";
        return Refused(request.HaltId, nameof(HaltTrading), request.UserId, request.AccountId, RejectionReasonCode.ValidationFailed, why + "; nothing was halted.", stamp);
    }

    /// <summary>
    /// Halts the scope <paramref name="key"/> whose active halt is <paramref name="active"/> (null: none). A new halt is a
    /// new row (the caller adds it when <see cref="HaltOutcome.Changed"/> and there was no active one); an active one
    /// answers (and takes <c>cancel working</c> if asked, its sweep asked again). <paramref name="idUsed"/>: the request's
    /// halt id names a halt that has ended (read only when no halt is active).
    /// </summary>
    public static HaltOutcome Halt(HaltRequest request, string key, TradingHaltRow? active, bool idUsed, EventStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        var changed = false;
        if (active is null)
        {
            if (idUsed)
            {
                return Refused(request.HaltId, nameof(HaltTrading), request.UserId, request.AccountId, RejectionReasonCode.ConflictingDuplicate,
                    $"halt id {request.HaltId} was already used by a halt that has ended; halt again under a new id.", stamp);
            }

            active = new TradingHaltRow
            {
                HaltId = request.HaltId,
                Scope = HaltScopes.NameOf(request.Scope),
                ScopeKey = key,
                Reason = TradingHaltCommands.Clip(request.Reason, TradingHaltCommands.MaxReasonLength)!,
                CancelWorking = request.CancelWorking,
                HaltedBy = TradingHaltCommands.Clip(request.By, TradingHaltCommands.MaxNameLength),
                HaltedAt = stamp.At,
            };
            changed = true;
        }
        else if (request.CancelWorking && !active.CancelWorking)
        {
            active.CancelWorking = true;
            active.CancelSweptAt = null;
            changed = true;
        }

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

    /// <summary>The refusal of a resume request without the key its scope needs; null when it is valid.</summary>
    public static HaltOutcome? Invalid(ResumeRequest request, string? key, EventStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        return key is not null ? null
            : Refused(request.ResumeId, nameof(ResumeTrading), request.UserId, request.AccountId, RejectionReasonCode.ValidationFailed,
                $"a resume of scope {request.Scope} needs {(request.Scope == HaltScope.Account ? "accountId" : "userId")}; nothing was resumed.", stamp);
    }

    /// <summary>Ends <paramref name="active"/>, the active halt of the scope <paramref name="key"/>; refused (NotFound) when there is none.</summary>
    public static HaltOutcome Resume(ResumeRequest request, string key, TradingHaltRow? active, EventStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (active is null)
        {
            return Refused(request.ResumeId, nameof(ResumeTrading), request.UserId, request.AccountId, RejectionReasonCode.NotFound,
                $"trading is not halted for {new HaltView(Guid.Empty, request.Scope, key, string.Empty, stamp.At, null).ScopeText}; nothing to resume.", stamp);
        }

        active.ResumedAt = stamp.At;
        active.ResumedBy = TradingHaltCommands.Clip(request.By, TradingHaltCommands.MaxNameLength);
        active.ResumeReason = TradingHaltCommands.Clip(request.Reason, TradingHaltCommands.MaxReasonLength);
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

    private static HaltOutcome Refused(Guid id, string command, string? userId, string? accountId, RejectionReasonCode code, string reason, EventStamp stamp) =>
        new(null, false, CommandRefusal.Of(id, command, userId, accountId, code, reason, [], stamp), reason);
}
