using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>Declares the transition table one input at a time: <c>On(input).In(statuses...).Do(rule)</c>.</summary>
internal sealed class TableBuilder
{
    private readonly Dictionary<(OrderStatus, LifecycleInput), Rule> _cells = [];

    public IReadOnlyDictionary<(OrderStatus Status, LifecycleInput Input), Rule> Cells => _cells;

    public Row On(LifecycleInput input) => new(this, [input]);

    public Row On(params LifecycleInput[] inputs) => new(this, inputs);

    internal readonly struct Row(TableBuilder table, LifecycleInput[] inputs)
    {
        public Columns In(params OrderStatus[] statuses) => new(table, inputs, statuses);
    }

    internal readonly struct Columns(TableBuilder table, LifecycleInput[] inputs, OrderStatus[] statuses)
    {
        public TableBuilder Do(Rule rule)
        {
            foreach (var input in inputs)
            {
                foreach (var status in statuses)
                {
                    if (!table._cells.TryAdd((status, input), rule))
                    {
                        throw new InvalidOperationException($"The transition table declares {input} in {status} twice.");
                    }
                }
            }

            return table;
        }
    }
}
