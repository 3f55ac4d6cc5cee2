using System.Text.Json;

namespace OrderProcessor.Orders;

/// <summary>
/// An execution algorithm's parameters as the order keeps them (<see cref="OrderSaga.AlgoParameters"/>, a jsonb
/// column): one JSON object of strings, keys sorted so that equal parameters are stored as equal text.
/// </summary>
public static class AlgoParametersJson
{
    public static string Write(IReadOnlyDictionary<string, string>? parameters) =>
        JsonSerializer.Serialize(
            new SortedDictionary<string, string>(
                (parameters ?? new Dictionary<string, string>()).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
                StringComparer.Ordinal),
            ContractJson.Options);

    public static IReadOnlyDictionary<string, string>? Read(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json, ContractJson.Options);
}
