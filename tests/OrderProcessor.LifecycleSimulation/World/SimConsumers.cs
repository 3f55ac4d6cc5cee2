using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.LifecycleSimulation.Store;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.World;

/// <summary>
/// The command consumers of a simulated processor: the same inbox check, loads and decisions as PlaceOrderConsumer,
/// CancelOrderConsumer and ModifyOrderConsumer, committed in one transaction.
/// </summary>
public sealed class SimConsumers(SimDatabase db, SimClock clock, LifecycleSettings settings, Func<PlaceOrder, RiskVerdict?>? risk = null)
{
    public static readonly TimeSpan EarlyCancelsKeptFor = TimeSpan.FromDays(7);

    public void Consume(BusMessage message)
    {
        var consumer = message.Command.GetType().Name + "Consumer";
        if (db.Inbox.Contains((message.MessageId, consumer)))
        {
            db.Halts.Redelivered += message.Command is HaltTrading or ResumeTrading ? 1 : 0;
            return;
        }

        var stamp = EventStamp.Create(clock.Now, message.MessageId, message.MessageId);
        var read = new List<(OrderSaga Now, OrderSaga AsRead)>();
        OrderSaga Load(OrderSaga row)
        {
            read.Add((row, SagaCopies.Copy(row)));
            return row;
        }

        OrderDecision decision;
        EarlyCancel? kept = null;
        switch (message.Command)
        {
            case PlaceOrder place:
                var ids = new[] { place.OrderId, place.StopLoss?.OrderId, place.TakeProfit?.OrderId }.Concat((place.OcaGroup?.Orders ?? []).Select(o => (Guid?)o.OrderId))
                    .OfType<Guid>().ToHashSet();
                var existing = db.ReadWhere(o => ids.Contains(o.OrderId)).Select(Load).ToDictionary(o => o.OrderId);
                var early = existing.ContainsKey(place.OrderId)
                    ? new Dictionary<Guid, EarlyCancel>()
                    : db.EarlyCancels.Where(c => ids.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value);
                // The pre-trade controls' first step, the halt, as the consumer's (then the others on here).
                RiskVerdict? verdict = null;
                if (Consumers.PlaceOrderConsumer.IsChecked(place, existing, early))
                {
                    verdict = HaltVerdict.Of(ITradingHalts.Covering(db.Halts.Active(), place.UserId, place.AccountId));
                    db.Halts.Placements.Add((db.Step, place.OrderId, place.UserId!, place.AccountId!, verdict?.Code));

                    // Then the controls that are on here (the reference-price ones), as PreTradeRiskCheck after its halt step.
                    verdict ??= risk?.Invoke(place);
                }

                decision = OrderPlacement.Place(place, CommandFingerprint.Of(place), existing, stamp, early, verdict);
                break;

            case CancelOrder cancel:
                if (db.Read(cancel.OrderId) is not { } order)
                {
                    decision = OrderPlacement.CancelUnknown(cancel, stamp, EarlyCancelsKeptFor, out kept);
                    break;
                }

                var carried = db.ReadWhere(o => o.SubmittedWithOrderId == order.OrderId).OrderBy(o => o.ClientOrderId, StringComparer.Ordinal).Select(Load).ToList();
                decision = OrderLifecycle.Apply([Load(order), .. carried], new CancelRequested(cancel), stamp, settings);
                break;

            case MarginCheck check:
                var violations = StandaloneMarginCheck.Validate(check);
                if (violations.Count > 0)
                {
                    decision = StandaloneMarginCheck.Refused(check, RejectionReasonCode.ValidationFailed, "invalid", violations, stamp);
                    break;
                }

                if (!db.MarginChecks.ContainsKey(check.CheckId))
                {
                    db.MarginChecks[check.CheckId] = StandaloneMarginCheck.Request(check, stamp, new Uri("rabbitmq://sim/reply"), message.MessageId, null);
                }

                decision = new OrderDecision();
                break;

            case ModifyOrder modify:
                if (db.Read(modify.OrderId) is not { } target)
                {
                    decision = OrderPlacement.Unknown(modify.OrderId, nameof(ModifyOrder), modify.UserId, stamp);
                    break;
                }

                // As the consumer: a change of a live order of a halted scope is refused, the order left as it was.
                decision = !OrderLifecycle.IsFinal(target.Status) && target.UserId == modify.UserId
                    && HaltVerdict.Of(ITradingHalts.Covering(db.Halts.Active(), target.UserId, target.AccountId)) is { Refused: true } refused
                    ? CommandRefusal.Of(modify.OrderId, nameof(ModifyOrder), modify.UserId, target.AccountId, refused.Code!.Value, $"{refused.Reason}; the order is unchanged.", [], stamp)
                    : OrderLifecycle.Apply([Load(target)], new ModifyRequested(modify), stamp, settings);
                break;

            case HaltTrading halt:
                decision = Halt(halt, stamp);
                db.Halts.Commands.Add((message.MessageId, nameof(HaltTrading), db.Step));
                break;

            case ResumeTrading resume:
                decision = Resume(resume, stamp);
                db.Halts.Commands.Add((message.MessageId, nameof(ResumeTrading), db.Step));
                break;

            default:
                throw new InvalidOperationException($"no consumer for {message.Command.GetType().Name}");
        }

        if (!db.Commit(read, decision, clock.Now))
        {
            throw new InvalidOperationException("a single-threaded consumer met a conflict");
        }

        db.Inbox.Add((message.MessageId, consumer));
        if (kept is not null)
        {
            db.EarlyCancels.TryAdd(kept.OrderId, kept);
        }
    }

    // TradingHaltCommands.HaltAsync on the simulated table: the same decision, the row and its event in one commit (one
    // step of the world: no claim or consumer runs between the read and the commit, as the halts' lock ensures).
    private OrderDecision Halt(HaltTrading command, EventStamp stamp)
    {
        var request = HaltRequest.From(command);
        var key = HaltScopes.KeyOf(request.Scope, request.AccountId, request.UserId);
        if (HaltDecisions.Invalid(request, key, stamp) is { } invalid)
        {
            return invalid.Decision;
        }

        var active = db.Halts.ActiveOf(request.Scope, key!);
        var idUsed = active is null && db.Halts.Rows.Any(h => h.HaltId == request.HaltId);
        var outcome = HaltDecisions.Halt(request, key!, active, idUsed, stamp);
        if (outcome.Halt is { } row && active is null)
        {
            db.Halts.Rows.Add(row);
            db.Halts.Steps[row.HaltId] = (db.Step, null);
        }

        return outcome.Decision;
    }

    private OrderDecision Resume(ResumeTrading command, EventStamp stamp)
    {
        var request = ResumeRequest.From(command);
        var key = HaltScopes.KeyOf(request.Scope, request.AccountId, request.UserId);
        if (HaltDecisions.Invalid(request, key, stamp) is { } invalid)
        {
            return invalid.Decision;
        }

        var outcome = HaltDecisions.Resume(request, key!, db.Halts.ActiveOf(request.Scope, key!), stamp);
        if (outcome.Halt is { } row)
        {
            db.Halts.Steps[row.HaltId] = (db.Halts.Steps[row.HaltId].HaltedStep, db.Step);
        }

        return outcome.Decision;
    }
}
