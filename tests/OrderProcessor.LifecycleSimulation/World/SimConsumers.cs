using OrderProcessor.Contracts;
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
                // As PlaceOrderConsumer: only a new order whose cancel did not come first is checked.
                var verdict = existing.Count == 0 && !early.ContainsKey(place.OrderId) ? risk?.Invoke(place) : null;
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
                decision = db.Read(modify.OrderId) is { } target
                    ? OrderLifecycle.Apply([Load(target)], new ModifyRequested(modify), stamp, settings)
                    : OrderPlacement.Unknown(modify.OrderId, nameof(ModifyOrder), modify.UserId, stamp);
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
}
