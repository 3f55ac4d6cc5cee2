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
    private static readonly Func<Persistence.TradingHaltRow, bool> ToSweep = HaltSweep.ToSweep.Compile();

    /// <summary>Returns how many orders were asked to cancel.</summary>
    public int Sweep()
    {
        var cancelled = 0;
        foreach (var halt in db.Halts.Rows.Where(ToSweep).ToList())
        {
            // A halt is swept on every pass while it lasts: the query (an expression tree, compiled on every run in memory)
            // only when some order could be asked at all, which in most passes none can.
            if (!db.ReadWhere(o => HaltSweep.StillToCancel(o, halt)).Any())
            {
                MarkSwept(halt);
                continue;
            }

            var ids = HaltSweep.Batch(db.ReadWhere(_ => true).AsQueryable(), TradingHaltStore.ViewOf(halt)).ToList();
            foreach (var id in ids)
            {
                if (db.Read(id) is not { } order || !HaltSweep.StillToCancel(order, halt))
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
                MarkSwept(halt);
            }
        }

        return cancelled;
    }

    private void MarkSwept(Persistence.TradingHaltRow halt)
    {
        if (halt.CancelSweptAt is null)
        {
            halt.CancelSweptAt = clock.Now;
            db.Halts.Swept++;
        }
    }
}
