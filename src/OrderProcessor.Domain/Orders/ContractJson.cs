using System.Text.Json;

namespace OrderProcessor.Orders;

/// <summary>The JSON form of contracts in the outbox: camelCase like MassTransit's serializer, enums by their wire names.</summary>
public static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
    };
}
