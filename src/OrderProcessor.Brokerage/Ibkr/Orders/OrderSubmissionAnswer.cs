using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>
/// What place, reply and modify answer, all with HTTP 200: an array (of accepted tickets, questions, or, for a bracket or
/// OCA request accepted in part, a mix of those and <c>{"error"}</c> entries), a whole <c>{"error": ...}</c>, or a
/// prompt object.
/// </summary>
[JsonConverter(typeof(OrderSubmissionAnswerConverter))]
public sealed class OrderSubmissionAnswer
{
    public IReadOnlyList<OrderSubmitSuccess> Accepted { get; init; } = [];

    public IReadOnlyList<OrderReplyMessage> Questions { get; init; } = [];

    /// <summary>The whole request was refused (<c>{"error": ...}</c>). Refusals of single tickets are in <see cref="Entries"/>.</summary>
    public string? Error { get; init; }

    public AdvancedOrderReject? Prompt { get; init; }

    /// <summary>
    /// The raw text of a 2xx the guard does not recognise (neither tickets, questions, an error nor a prompt): the request
    /// may have been processed, so it is ambiguous, never a refusal.
    /// </summary>
    public string? Unrecognised { get; init; }

    /// <summary>
    /// Every entry of an array answer in IBKR's order: entry i answers ticket i of the request (IBKR's orderReplyMessage
    /// schema says so for questions; the simulator and the guard assume it for accepted and refused tickets too).
    /// </summary>
    internal IReadOnlyList<Entry> Entries { get; init; } = [];

    /// <summary>One entry of an array answer: exactly one of the three is set.</summary>
    internal sealed record Entry(OrderSubmitSuccess? Accepted, OrderReplyMessage? Question, string? Error);
}

internal sealed class OrderSubmissionAnswerConverter : JsonConverter<OrderSubmissionAnswer>
{
    public override OrderSubmissionAnswer Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            // Every entry is kept in its place (also each ticket's own error), so that the guard can tell which ticket
            // of a group request was accepted, refused or asked.
            var entries = new List<OrderSubmissionAnswer.Entry>();
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (item.TryGetProperty("order_id", out _))
                {
                    entries.Add(new(item.Deserialize<OrderSubmitSuccess>(options)!, null, null));
                }
                else if (item.TryGetProperty("messageIds", out _) || item.TryGetProperty("message", out _))
                {
                    entries.Add(new(null, item.Deserialize<OrderReplyMessage>(options)!, null));
                }
                else if (item.TryGetProperty("error", out var itemError))
                {
                    entries.Add(new(null, null, itemError.ToString()));
                }
            }

            return new OrderSubmissionAnswer
            {
                Accepted = [.. entries.Where(static e => e.Accepted is not null).Select(static e => e.Accepted!)],
                Questions = [.. entries.Where(static e => e.Question is not null).Select(static e => e.Question!)],
                Entries = entries,
            };
        }

        if (root.ValueKind == JsonValueKind.Object)
        {
            if (root.TryGetProperty("error", out var error))
            {
                return new OrderSubmissionAnswer { Error = error.ToString() };
            }

            if (root.TryGetProperty("order_id", out _))
            {
                var accepted = root.Deserialize<OrderSubmitSuccess>(options)!;
                return new OrderSubmissionAnswer { Accepted = [accepted], Entries = [new(accepted, null, null)] };
            }

            if (root.TryGetProperty("prompt", out _) || root.TryGetProperty("messageId", out _))
            {
                return new OrderSubmissionAnswer { Prompt = root.Deserialize<AdvancedOrderReject>(options) };
            }
        }

        var raw = root.GetRawText();
        return new OrderSubmissionAnswer { Unrecognised = raw.Length > 300 ? raw[..300] : raw };
    }

    public override void Write(Utf8JsonWriter writer, OrderSubmissionAnswer value, JsonSerializerOptions options) =>
        throw new NotSupportedException("The guard never sends an order submission answer.");
}
