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
        if (HaltDecisions.Invalid(request, key, stamp) is { } invalid)
        {
            return invalid;
        }

        var scope = HaltScopes.NameOf(request.Scope);
        await LockHaltsAsync(db, ct);
        var active = await db.TradingHalts.SingleOrDefaultAsync(h => h.Scope == scope && h.ScopeKey == key && h.ResumedAt == null, ct);
        var idUsed = active is null && await db.TradingHalts.AsNoTracking().AnyAsync(h => h.HaltId == request.HaltId, ct);
        var outcome = HaltDecisions.Halt(request, key!, active, idUsed, stamp);
        if (outcome.Halt is null)
        {
            return outcome;
        }

        if (active is null)
        {
            db.TradingHalts.Add(outcome.Halt);
        }

        await NotifyAsync(db, ct);
        return outcome;
    }

    /// <summary>Ends the active halt of the scope; refused (NotFound) when the scope is not halted.</summary>
    public static async Task<HaltOutcome> ResumeAsync(OrderProcessorDbContext db, ResumeRequest request, EventStamp stamp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var key = HaltScopes.KeyOf(request.Scope, request.AccountId, request.UserId);
        if (HaltDecisions.Invalid(request, key, stamp) is { } invalid)
        {
            return invalid;
        }

        var scope = HaltScopes.NameOf(request.Scope);
        await LockHaltsAsync(db, ct);
        var active = await db.TradingHalts.SingleOrDefaultAsync(h => h.Scope == scope && h.ScopeKey == key && h.ResumedAt == null, ct);
        var outcome = HaltDecisions.Resume(request, key!, active, stamp);
        if (outcome.Halt is not null)
        {
            await NotifyAsync(db, ct);
        }

        return outcome;
    }

    /// <summary>
    /// The halts change one at a time, and never while a decision that read them is still open: every reader holds the
    /// same key shared until its commit (<see cref="TradingHaltStore"/>), so a claim or order that commits after a halt's
    /// commit has read that halt.
    /// </summary>
    private static async Task LockHaltsAsync(OrderProcessorDbContext db, CancellationToken ct) =>
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({TradingHaltStore.LockKey}, 0))", ct);

    private static async Task NotifyAsync(OrderProcessorDbContext db, CancellationToken ct) =>
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_notify({Channel}, '')", ct);

    /// <summary>The text trimmed and cut to <paramref name="length"/> characters (null stays null).</summary>
    public static string? Clip(string? text, int length) =>
        text is null ? null : text.Trim() is var trimmed && trimmed.Length > length ? trimmed[..length] : text.Trim();
}
