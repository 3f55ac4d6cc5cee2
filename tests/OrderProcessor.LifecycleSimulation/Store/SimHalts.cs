using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.LifecycleSimulation.Store;

/// <summary>
/// The simulated <c>trading_halts</c> table (kill switch), kept by <see cref="SimDatabase"/>, and the history the halt
/// invariants are checked against: when each halt and resume committed, what each claim decided with which halt,
/// what each PlaceOrder was decided with, and what the sweeps cancelled.
/// </summary>
public sealed class SimHalts
{
    /// <summary>The rows, as PostgreSQL holds them (active while <see cref="TradingHaltRow.ResumedAt"/> is null).</summary>
    public List<TradingHaltRow> Rows { get; } = [];

    /// <summary>The step each halt row was committed at, and the step it was resumed at.</summary>
    public Dictionary<Guid, (int HaltedStep, int? ResumedStep)> Steps { get; } = [];

    /// <summary>Each halt and resume command consumed (once per message id): its message id, kind and the step.</summary>
    public List<(Guid MessageId, string Command, int Step)> Commands { get; } = [];

    /// <summary>Each claim of a group: step, the group's order ids, the work it claimed and the halt it was decided with.</summary>
    public List<(int Step, Guid LeaderId, IReadOnlyList<Guid> Orders, string UserId, string? AccountId, OrderWork Due, OrderWork Claimed, Guid? Halt)> Claims { get; } = [];

    /// <summary>Each new PlaceOrder decided with the controls: step, order, user, account and the refusal it met (null: none).</summary>
    public List<(int Step, Guid OrderId, string UserId, string AccountId, RejectionReasonCode? Refused)> Placements { get; } = [];

    /// <summary>Each cancel a sweep asked: step, halt, order.</summary>
    public List<(int Step, Guid HaltId, Guid OrderId)> SweepCancels { get; } = [];

    /// <summary>Halt or resume messages delivered again and dropped by the inbox.</summary>
    public int Redelivered { get; set; }

    /// <summary>Sweep passes that found the halt's scope swept.</summary>
    public int Swept { get; set; }

    /// <summary>The active halts, as <see cref="TradingHaltStore.ActiveAsync"/> reads them.</summary>
    public IReadOnlyList<HaltView> Active() => [.. Rows.Where(h => h.ResumedAt is null).Select(TradingHaltStore.ViewOf)];

    /// <summary>The active halt of a scope (the unique partial index: at most one).</summary>
    public TradingHaltRow? ActiveOf(HaltScope scope, string key) =>
        Rows.SingleOrDefault(h => h.Scope == HaltScopes.NameOf(scope) && h.ScopeKey == key && h.ResumedAt is null);

    /// <summary>Whether a halt of the scope covering the user or the account was committed at or before <paramref name="step"/> and not resumed by then.</summary>
    public TradingHaltRow? CoveringAt(int step, string? userId, string? accountId) =>
        Rows.Where(h => Steps[h.HaltId].HaltedStep <= step && (Steps[h.HaltId].ResumedStep is not { } resumed || resumed > step))
            .FirstOrDefault(h => ITradingHalts.Covering([TradingHaltStore.ViewOf(h)], userId, accountId) is not null);
}
