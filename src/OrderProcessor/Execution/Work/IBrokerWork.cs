using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>One kind of IBKR work: the call(s) it makes and the result it applies to the claim that started it.</summary>
public interface IBrokerWork
{
    OrderWork Kind { get; }

    /// <summary>Runs the call and writes its result. Throws only when the result cannot be written (the lease then runs out).</summary>
    Task RunAsync(ClaimedWork work, CancellationToken cancellationToken);
}
