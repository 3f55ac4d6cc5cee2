using System.Text.Json;
using System.Text.Json.Nodes;
using OrderProcessor.Brokerage.Ibkr.Json;
using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>
/// Reads IBKR's websocket frames leniently: unknown fields and topics are ignored, numbers may be strings, and one bad
/// element of <c>args</c> never discards the others. In <c>sor</c> and <c>str</c> elements an empty string is absent
/// (null), never zero.
/// </summary>
internal static class StreamFrameParser
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static ParsedFrame Parse(ReadOnlySpan<byte> utf8)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8, NodeOptions, DocumentOptions);
        }
        catch (JsonException)
        {
            return new MalformedFrame("not JSON");
        }

        if (root is not JsonObject frame)
        {
            return new MalformedFrame("not a JSON object");
        }

        var topic = TextOf(frame["topic"]);
        return topic switch
        {
            null => new OtherFrame("none"),
            "system" => System(frame),
            "sts" => Status(frame),
            "sor" => Orders(frame),
            "str" => Executions(frame),
            "act" or "ntf" or "blt" or "error" => new OtherFrame(topic),
            _ => new OtherFrame("unknown"),
        };
    }

    private static ParsedFrame System(JsonObject frame)
    {
        if (frame.ContainsKey("success"))
        {
            return new SystemSuccessFrame(TextOf(frame["success"]) ?? string.Empty);
        }

        return frame.ContainsKey("hb") ? new HeartbeatFrame() : new OtherFrame("system");
    }

    private static ParsedFrame Status(JsonObject frame)
    {
        if (frame["args"] is not JsonObject args)
        {
            return new MalformedFrame("sts without an args object");
        }

        return new StatusFrame(FlagOf(args["authenticated"]), FlagOf(args["competing"]), TextOf(args["message"]));
    }

    private static ParsedFrame Orders(JsonObject frame)
    {
        if (frame["args"] is not JsonArray args)
        {
            return new MalformedFrame("sor without an args array");
        }

        var orders = new List<LiveOrder>(args.Count);
        var bad = 0;
        foreach (var element in args)
        {
            if (Read<LiveOrder>(element) is { OrderId.Length: > 0 } order)
            {
                orders.Add(order);
            }
            else
            {
                bad++;
            }
        }

        return new OrdersFrame(orders, bad);
    }

    private static ParsedFrame Executions(JsonObject frame)
    {
        if (frame["args"] is not JsonArray args)
        {
            return new MalformedFrame("str without an args array");
        }

        var executions = new List<Trade>(args.Count);
        var bad = 0;
        foreach (var element in args)
        {
            if (Read<Trade>(element) is { ExecutionId.Length: > 0 } execution)
            {
                executions.Add(execution);
            }
            else
            {
                bad++;
            }
        }

        return new ExecutionsFrame(executions, bad);
    }

    /// <summary>One element on its own: empty strings dropped (absent), then read; anything unreadable is null.</summary>
    private static T? Read<T>(JsonNode? element)
        where T : class
    {
        if (element is not JsonObject fields)
        {
            return null;
        }

        try
        {
            var present = new JsonObject(NodeOptions);
            foreach (var (name, value) in fields)
            {
                if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String && text.GetValue<string>().Length == 0)
                {
                    continue;
                }

                present[name] = value?.DeepClone();
            }

            return present.Deserialize<T>(IbkrJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            return null;
        }
    }

    private static string? TextOf(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            _ => null,
        }
        : null;

    private static bool? FlagOf(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetValue<string>(), out var flag) => flag,
            _ => null,
        }
        : null;
}
