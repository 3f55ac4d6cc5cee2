using OrderProcessor.LifecycleSimulation.World;

namespace OrderProcessor.LifecycleSimulation.Checks;

/// <summary>What must hold about trading halts (kill switch) after every schedule; called from <see cref="Invariants.Check"/>.</summary>
public static class HaltInvariants
{
    /// <summary>One line per broken invariant.</summary>
    public static IEnumerable<string> Check(SimWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);

        // Step 0 of issue 13: the simulation makes no halts yet, so there is nothing to check.
        return [];
    }
}
