using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>
/// What place, reply and modify answer, all with HTTP 200: an array of accepted tickets, an array of questions,
/// <c>{"error": ...}</c>, or a prompt object. Exactly one of the parts is filled.
/// </summary>
[JsonConverter(typeof(OrderSubmissionAnswerConverter))]
public sealed class OrderSubmissionAnswer
{
    public IReadOnlyList<OrderSubmitSuccess> Accepted { get; init; } = [];

    public IReadOnlyList<OrderReplyMessage> Questions { get; init; } = [];

    public string? Error { get; init; }

    public AdvancedOrderReject? Prompt { get; init; }
}

internal sealed class OrderSubmissionAnswerConverter : JsonConverter<OrderSubmissionAnswer>
{
    public override OrderSubmissionAnswer Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            var accepted = new List<OrderSubmitSuccess>();
            var questions = new List<OrderReplyMessage>();
            string? error = null;
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (item.TryGetProperty("order_id", out _))
                {
                    accepted.Add(item.Deserialize<OrderSubmitSuccess>(options)!);
                }
                else if (item.TryGetProperty("messageIds", out _) || item.TryGetProperty("message", out _))
                {
                    questions.Add(item.Deserialize<OrderReplyMessage>(options)!);
                }
                else if (item.TryGetProperty("error", out var itemError))
                {
                    error ??= itemError.ToString();
                }
            }

            return new OrderSubmissionAnswer { Accepted = accepted, Questions = questions, Error = error };
        }

        if (root.ValueKind == JsonValueKind.Object)
        {
            if (root.TryGetProperty("error", out var error))
            {
                return new OrderSubmissionAnswer { Error = error.ToString() };
            }

            if (root.TryGetProperty("order_id", out _))
            {
                return new OrderSubmissionAnswer { Accepted = [root.Deserialize<OrderSubmitSuccess>(options)!] };
            }

            if (root.TryGetProperty("prompt", out _) || root.TryGetProperty("messageId", out _))
            {
                return new OrderSubmissionAnswer { Prompt = root.Deserialize<AdvancedOrderReject>(options) };
            }
        }

        return new OrderSubmissionAnswer { Error = "Unrecognised answer: " + root.GetRawText() };
    }

    public override void Write(Utf8JsonWriter writer, OrderSubmissionAnswer value, JsonSerializerOptions options) =>
        throw new NotSupportedException("The guard never sends an order submission answer.");
}
