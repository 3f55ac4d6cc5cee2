using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// What a rule of the transition table works on: the order the input is about, the orders its submission carries
/// (bracket legs, OCA members: only for commands on a leader and for the leader's work), the input, and where its
/// effects go.
/// </summary>
public sealed class Transition
{
    internal Transition(IReadOnlyList<OrderSaga> group, OrderInput input, EventStamp stamp, LifecycleSettings settings, OrderDecision decision)
    {
        Group = group;
        Input = input;
        Stamp = stamp;
        Settings = settings;
        Decision = decision;
    }

    /// <summary>The order the input is about (the leader of a submission group).</summary>
    public OrderSaga Order => Group[0];

    /// <summary><see cref="Order"/> first, then the orders its submission carries.</summary>
    public IReadOnlyList<OrderSaga> Group { get; }

    /// <summary>The orders <see cref="Order"/>'s submission carries.</summary>
    public IEnumerable<OrderSaga> Carried => Group.Skip(1);

    public OrderInput Input { get; }

    public EventStamp Stamp { get; }

    public DateTimeOffset Now => Stamp.At;

    public LifecycleSettings Settings { get; }

    public OrderDecision Decision { get; }

    /// <summary>Appends <paramref name="orderEvent"/> to <paramref name="order"/>'s chain (a fill event with the order's filled cash amount, see <see cref="FilledCash"/>).</summary>
    public void Emit(OrderSaga order, IOrderEvent orderEvent) => Decision.Emit(order, Stamp, FilledCash.Stamped(order, orderEvent));

    /// <summary>The input as the type the rule was declared for.</summary>
    public T InputAs<T>()
        where T : OrderInput => Input as T ?? throw new InvalidOperationException($"{Input.GetType().Name} reached a rule for {typeof(T).Name}");
}
