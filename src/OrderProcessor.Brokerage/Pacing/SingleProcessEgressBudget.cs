namespace OrderProcessor.Brokerage.Pacing;

/// <summary>The default: this process is alone behind its egress IP and takes the whole budget.</summary>
public sealed class SingleProcessEgressBudget : IEgressBudgetCoordinator
{
    public EgressBudgetView Current => EgressBudgetView.Alone;

    public void TooManyRequestsSeen(TimeSpan pause)
    {
        // Nobody to tell: the pacing gate's own pause is the only one.
    }

    public void ProbeSucceeded()
    {
        // Nobody to tell.
    }
}
