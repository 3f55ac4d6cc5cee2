using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>Answer of DELETE .../order/{orderId} (orderCancelSuccess | orderSubmitError); IBKR's examples also wrap it in an array.</summary>
[JsonConverter(typeof(CancelOrderAnswerConverter))]
public sealed class CancelOrderAnswer
{
    [JsonPropertyName("msg")]
    public string? Msg { get; init; }

    [JsonPropertyName("order_id")]
    public string? OrderId { get; init; }

    [JsonPropertyName("conid")]
    public string? Conid { get; init; }

    [JsonPropertyName("account")]
    public string? Account { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

internal sealed class CancelOrderAnswerConverter : JsonConverter<CancelOrderAnswer>
{
    public override CancelOrderAnswer? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            root = root.EnumerateArray().FirstOrDefault(static item => item.ValueKind == JsonValueKind.Object);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return new CancelOrderAnswer { Error = "Unrecognised answer" };
        }

        return new CancelOrderAnswer
        {
            Msg = Text(root, "msg"),
            OrderId = Text(root, "order_id"),
            Conid = Text(root, "conid"),
            Account = Text(root, "account"),
            Error = Text(root, "error"),
        };
    }

    public override void Write(Utf8JsonWriter writer, CancelOrderAnswer value, JsonSerializerOptions options) =>
        throw new NotSupportedException("The guard never sends a cancel answer.");

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.ToString()
            : null;
}
