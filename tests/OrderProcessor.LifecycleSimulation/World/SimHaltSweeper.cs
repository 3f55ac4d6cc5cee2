using OrderProcessor.Halts;
using OrderProcessor.LifecycleSimulation.Store;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.World;

/// <summary>
/// One pass of a processor's <see cref="HaltCancelSweeper"/> on the simulated table: the halts with <c>cancel working</c>
/// not swept yet, each one's batch (<see cref="HaltSweep.Batch"/>), each order read again and cancelled through the state
/// machine (<see cref="HaltSweep.Cancel"/>) in a commit of its own, the halt marked swept after its last batch.
/// </summary>
public sealed class SimHaltSweeper(SimDatabase db, SimClock clock, LifecycleSettings settings)
{
    /// <summary>Returns how many orders were asked to cancel.</summary>
    public int Sweep()
    {
        var cancelled = 0;
        foreach (var halt in db.Halts.Rows.Where(h => h.CancelWorking && h.CancelSweptAt == null && h.ResumedAt == null).ToList())
        {
            var ids = HaltSweep.Batch(db.ReadWhere(_ => true).AsQueryable(), TradingHaltStore.ViewOf(halt)).ToList();
            foreach (var id in ids)
            {
                if (db.Read(id) is not { } order || !HaltSweep.StillToCancel(order))
                {
                    continue;
                }

                var carried = db.ReadWhere(o => o.SubmittedWithOrderId == order.OrderId).OrderBy(o => o.ClientOrderId, StringComparer.Ordinal).ToList();
                var read = carried.Prepend(order).Select(o => (o, SagaCopies.Copy(o))).ToList();
                var decision = HaltSweep.Cancel(order, carried, halt, clock.Now, settings);
                if (!db.Commit(read, decision, clock.Now))
                {
                    throw new InvalidOperationException("a single-threaded sweep met a conflict");
                }

                db.Halts.SweepCancels.Add((db.Step, halt.HaltId, id));
                cancelled++;
            }

            if (HaltSweep.IsLast(ids.Count))
            {
                halt.CancelSweptAt = clock.Now;
                db.Halts.Swept++;
            }
        }

        return cancelled;
    }
}
