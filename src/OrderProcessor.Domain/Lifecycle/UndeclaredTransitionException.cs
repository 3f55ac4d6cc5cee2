using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>An input reached an order in a status for which the transition table declares nothing: a bug, never ignored.</summary>
public sealed class UndeclaredTransitionException : InvalidOperationException
{
    public UndeclaredTransitionException()
    {
    }

    public UndeclaredTransitionException(string message)
        : base(message)
    {
    }

    public UndeclaredTransitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UndeclaredTransitionException(OrderStatus status, LifecycleInput input)
        : base($"The order lifecycle declares nothing for {input} in status {status}.")
    {
        Status = status;
        Input = input;
    }

    public OrderStatus? Status { get; }

    public LifecycleInput? Input { get; }
}
