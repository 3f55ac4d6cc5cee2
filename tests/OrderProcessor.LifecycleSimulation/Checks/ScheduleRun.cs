using OrderProcessor.Configuration;
using OrderProcessor.LifecycleSimulation.Ibkr;
using OrderProcessor.LifecycleSimulation.Schedule;
using OrderProcessor.LifecycleSimulation.World;

namespace OrderProcessor.LifecycleSimulation.Checks;

/// <summary>Runs one schedule in a fresh world, lets it settle, and checks the invariants.</summary>
public static class ScheduleRun
{
    /// <summary>
    /// The processor's settings in the simulation: the production defaults, but a user's share of the worker's slots
    /// of 2 (the default 8 is never reached by a schedule's few orders, and the share must be met to be tested), and the
    /// stream intake writing each frame at once (no coalescing timer: the simulation's clock moves only by its steps).
    /// </summary>
    public static LifecycleOptions Options() => new() { MaxConcurrentWorkPerUser = 2, StreamCoalesceWindow = TimeSpan.Zero };

    public static (SimWorld World, List<string> Violations) Run(IReadOnlyList<OrderSpec> orders, IReadOnlyList<SimAction> steps, IbkrRulesOfTheModel? rules = null,
        bool stream = true)
    {
        var context = SynchronizationContext.Current;
        try
        {
            var world = new SimWorld(orders, Options(), rules ?? new IbkrRulesOfTheModel(), stream);

            // Continuations of the processor's code are posted to the world and run after each step: one thread, one order.
            SynchronizationContext.SetSynchronizationContext(world.Continuations);
            foreach (var step in steps)
            {
                world.Run(step);
            }

            world.Settle();
            return (world, Invariants.Check(world));
        }
        catch (Exception exception)
        {
            var world = new SimWorld(orders, Options(), rules ?? new IbkrRulesOfTheModel(), stream);
            return (world, [$"the simulation itself failed: {exception}"]);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    /// <summary>
    /// Removes steps from a failing schedule for as long as it still fails (delta debugging, ddmin): what is left is a
    /// schedule whose every step matters.
    /// </summary>
    public static List<SimAction> Shrink(IReadOnlyList<OrderSpec> orders, List<SimAction> steps, IbkrRulesOfTheModel? rules = null, int budget = 400, bool stream = true)
    {
        var current = steps;
        var chunks = 2;
        while (current.Count >= 2 && budget > 0)
        {
            var size = (int)Math.Ceiling(current.Count / (double)chunks);
            var reduced = false;
            for (var start = 0; start < current.Count && budget > 0; start += size)
            {
                var candidate = current.Take(start).Concat(current.Skip(start + size)).ToList();
                budget--;
                if (Run(orders, candidate, rules, stream).Violations.Count > 0)
                {
                    current = candidate;
                    chunks = Math.Max(chunks - 1, 2);
                    reduced = true;
                    break;
                }
            }

            if (!reduced)
            {
                if (size == 1)
                {
                    break;
                }

                chunks = Math.Min(current.Count, chunks * 2);
            }
        }

        return current;
    }
}
