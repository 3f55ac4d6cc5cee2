using System.Reflection;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Store;

/// <summary>Copies and compares saga rows field by field, as a database would store them.</summary>
public static class SagaCopies
{
    private static readonly PropertyInfo[] Fields = [.. typeof(OrderSaga).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite)];

    public static OrderSaga Copy(OrderSaga order)
    {
        var copy = new OrderSaga();
        foreach (var field in Fields)
        {
            field.SetValue(copy, field.GetValue(order));
        }

        return copy;
    }

    public static bool Same(OrderSaga a, OrderSaga b) => Fields.All(f => Equals(f.GetValue(a), f.GetValue(b)));
}
