namespace OrderProcessor.Orders;

/// <summary>
/// The kill switch's say in a claim: an order of a halted scope is not sent or checked. Called by the claim rules before
/// anything is claimed.
/// </summary>
internal static class HaltRules
{
    /// <summary>True when the halt decided the claim instead (the claim rule then does nothing more).</summary>
    public static bool Refuses(Transition t)
    {
        ArgumentNullException.ThrowIfNull(t);

        // Step 0 of issue 13: no halt is enforced yet; the kill switch decides here.
        return false;
    }
}
