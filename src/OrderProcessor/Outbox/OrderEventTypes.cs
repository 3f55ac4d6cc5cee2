using System.Collections.Frozen;
using OrderProcessor.Contracts;

namespace OrderProcessor.Outbox;

/// <summary>Maps the <c>message_type</c> column of the outbox to the contract type, and back.</summary>
public static class OrderEventTypes
{
    private static readonly FrozenDictionary<string, Type> ByName = typeof(IOrderEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IOrderEvent).IsAssignableFrom(t))
        .ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static IEnumerable<Type> All => ByName.Values;

    public static string NameOf(IOrderEvent orderEvent) => orderEvent.GetType().Name;

    public static bool TryResolve(string messageType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        ByName.TryGetValue(messageType, out type);

    public static Type Resolve(string messageType) =>
        ByName.TryGetValue(messageType, out var type)
            ? type
            : throw new InvalidOperationException($"outbox message type '{messageType}' is not an order event of OrderProcessor.Contracts.");
}
