using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Configuration;

namespace OrderProcessor.Execution;

/// <summary>
/// When each user's live orders are read over REST: at once after a requested cause (a gap in the stream, a new
/// socket), every <c>Lifecycle:StatusPollInterval</c> while the user has no healthy stream, and every
/// <c>Lifecycle:SafetyPollInterval</c> while it has. Pure bookkeeping, no I/O; used by the poller and the simulation.
/// </summary>
public sealed class ReconcileSchedule(IOptions<LifecycleOptions> options, TimeProvider timeProvider)
{
    private readonly LifecycleOptions _options = options.Value;

    public TimeProvider Time => timeProvider;

    /// <summary>Asks for a read of the user's live orders at the next chance.</summary>
    public void Request(string userId, ReconcileCause cause) => throw new NotImplementedException(_options.ToString());

    /// <summary>Whether the user is due for a read, and why.</summary>
    public (bool Due, ReconcileCause Cause) IsDue(string userId, OrderStreamState stream, DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>A read of the user's live orders began at <paramref name="at"/> (it satisfies every request made before).</summary>
    public void Polled(string userId, DateTimeOffset at) => throw new NotImplementedException();

    /// <summary>The user is no longer followed by this instance.</summary>
    public void Forget(string userId) => throw new NotImplementedException();
}
