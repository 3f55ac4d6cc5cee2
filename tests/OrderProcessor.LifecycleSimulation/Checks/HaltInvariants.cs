using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Checks;

/// <summary>
/// What must hold about trading halts (kill switch) after every schedule (issue 13, invariants 6-8); called from
/// <see cref="Invariants.Check"/>. A halt is "committed at step S": every claim and PlaceOrder of a later step, before
/// its resume, must see it (the halts' lock makes that so on PostgreSQL; the world's steps are its transactions).
/// </summary>
public static class HaltInvariants
{
    /// <summary>One line per broken invariant.</summary>
    public static IEnumerable<string> Check(SimWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var halts = world.Db.Halts;
        var violations = new List<string>();
        if (halts.Commands.Count == 0)
        {
            return violations;
        }

        // 6. No send or margin check of a halted scope is claimed after the halt's commit.
        foreach (var claim in halts.Claims.Where(c => c.Claimed is OrderWork.Submit or OrderWork.CheckMargin))
        {
            if (halts.CoveringAt(claim.Step - 1, claim.UserId, claim.AccountId) is { } halt)
            {
                violations.Add($"step {claim.Step}: {SimWorld.Short(claim.LeaderId)} claimed {claim.Claimed} after halt {Id(halt.HaltId)} ({halt.Scope} {halt.ScopeKey}) committed at step {halts.Steps[halt.HaltId].HaltedStep}");
            }
        }

        // 6. No order of a halted scope is accepted at IBKR from a send claimed after the halt.
        foreach (var atIbkr in world.Model.Ledger)
        {
            if (world.Db.Orders.FirstOrDefault(o => o.ClientOrderId == atIbkr.ClientOrderId) is not { } saga)
            {
                continue;
            }

            var send = halts.Claims.LastOrDefault(c => c.Claimed == OrderWork.Submit && c.Step <= atIbkr.AcceptedStep && c.Orders.Contains(saga.OrderId));
            if (send.Orders is not null && halts.CoveringAt(send.Step - 1, saga.UserId, saga.AccountId) is { } halt)
            {
                violations.Add($"{SimWorld.Short(saga.OrderId)} was accepted at IBKR at step {atIbkr.AcceptedStep} from a send claimed at step {send.Step}, after halt {Id(halt.HaltId)} committed at step {halts.Steps[halt.HaltId].HaltedStep}");
            }
        }

        // A PlaceOrder decided after a halt's commit for its scope is Rejected(TradingHalted); one decided without a halt is not.
        foreach (var placement in halts.Placements)
        {
            var covering = halts.CoveringAt(placement.Step - 1, placement.UserId, placement.AccountId);
            var refused = world.Db.Events.Any(e => e.Step == placement.Step && e.OrderId == placement.OrderId
                && e.Event is OrderRejected { Command: nameof(PlaceOrder), ReasonCode: RejectionReasonCode.TradingHalted });
            if (covering is not null && !refused)
            {
                violations.Add($"step {placement.Step}: PlaceOrder {SimWorld.Short(placement.OrderId)} was not refused though halt {Id(covering.HaltId)} ({covering.Scope} {covering.ScopeKey}) committed at step {halts.Steps[covering.HaltId].HaltedStep}");
            }
            else if (covering is null && refused)
            {
                violations.Add($"step {placement.Step}: PlaceOrder {SimWorld.Short(placement.OrderId)} was refused TradingHalted with no halt of its scope active");
            }
        }

        // 7. After a cancel-working halt still active at the end and the settle phase (checked once the market had rested
        //    while the sweepers ran, and again at the very end), nothing of its scope works at IBKR but orders handed to an
        //    operator.
        violations.AddRange(world.HaltSettleViolations.Union(WorkingAfterCancelWorkingHalts(world, askedCounts: false)));

        // 8. Exactly one answer per halt or resume command (a redelivered message is consumed once): TradingHalted per
        //    halt; TradingResumed, or a NotFound refusal when nothing was halted, per resume.
        var answers = world.Db.Events.Where(e => e.Event is TradingHalted or TradingResumed || (e.Event is OrderRejected { Command: nameof(HaltTrading) or nameof(ResumeTrading) }))
            .GroupBy(e => e.Event.CausationId).ToDictionary(g => g.Key, g => g.Select(e => e.Event).ToList());
        foreach (var (messageId, command, step) in halts.Commands)
        {
            var answered = answers.GetValueOrDefault(messageId) ?? [];
            var expected = command == nameof(HaltTrading)
                ? answered.Count == 1 && answered[0] is TradingHalted
                : answered.Count == 1 && answered[0] is TradingResumed or OrderRejected { ReasonCode: RejectionReasonCode.NotFound };
            if (!expected)
            {
                violations.Add($"step {step}: {command} {Id(messageId)} was answered by [{string.Join(", ", answered.Select(a => a.GetType().Name))}], not exactly once");
            }
        }

        foreach (var unasked in answers.Keys.Where(id => !halts.Commands.Any(c => c.MessageId == id)))
        {
            violations.Add($"{string.Join(", ", answers[unasked].Select(a => a.GetType().Name))} answered message {Id(unasked)}, which no halt or resume consumed");
        }

        // At most one active halt per scope (the unique partial index).
        foreach (var twice in halts.Rows.Where(h => h.ResumedAt is null).GroupBy(h => (h.Scope, h.ScopeKey)).Where(g => g.Count() > 1))
        {
            violations.Add($"{twice.Count()} active halts of {twice.Key.Scope} {twice.Key.ScopeKey}");
        }

        return violations;
    }

    /// <summary>
    /// The orders of the scope of a cancel-working halt still active that still work at IBKR and were not handed to an
    /// operator. <paramref name="askedCounts"/>: one IBKR was asked to cancel counts as done (while the market rests, the
    /// exchange does not complete a cancel; the processor's part was to ask).
    /// </summary>
    public static IEnumerable<string> WorkingAfterCancelWorkingHalts(SimWorld world, bool askedCounts)
    {
        ArgumentNullException.ThrowIfNull(world);
        foreach (var halt in world.Db.Halts.Rows.Where(h => h.CancelWorking && h.ResumedAt is null))
        {
            var view = Halts.TradingHaltStore.ViewOf(halt);
            foreach (var working in world.Model.Ledger.Where(o => o.IsWorking && !(askedCounts && o.CancelRequested) && Halts.ITradingHalts.Covering([view], o.UserId, o.AccountId) is not null))
            {
                var saga = world.Db.Orders.FirstOrDefault(o => o.ClientOrderId == working.ClientOrderId);
                if (saga?.Status != OrderStatus.NeedsAttention)
                {
                    yield return $"{working.ClientOrderId} ({(saga is null ? "unknown" : SimWorld.Short(saga.OrderId) + " " + saga.Status)}) still works at IBKR after halt {Id(halt.HaltId)} ({halt.Scope} {halt.ScopeKey}) with cancel working";
                }
            }
        }
    }

    // The simulation's halt and message ids count up in their last bytes.
    private static string Id(Guid id) => "#" + BitConverter.ToInt64(id.ToByteArray(), 8).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
