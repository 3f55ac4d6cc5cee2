using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>
/// What <c>--json</c> writes to standard output: one compact JSON document per line (a line per event for
/// <c>watch</c>), contracts in their wire form (camelCase, enums by their wire names) so a script reads them as it
/// reads the events from RabbitMQ. Messages for people go to standard error meanwhile.
/// </summary>
public static class CliJson
{
    /// <summary>The contracts' options, writing "+00:00" rather than "\u002B00:00": the output is read by scripts, never embedded in HTML.</summary>
    private static readonly JsonSerializerOptions Options = new(ContractJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="document"/> as one line and flushes it, so a reader of a pipe sees it at once.</summary>
    public static void WriteLine(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        Console.Out.WriteLine(document.ToJsonString(Options));
        Console.Out.Flush();
    }

    /// <summary>A contract message as it is on the wire.</summary>
    public static JsonNode Message(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.SerializeToNode(message, message.GetType(), Options)!;
    }

    /// <summary><c>{"type": "OrderFilled", "messageId": ..., "message": {...}}</c>: an event with what names it.</summary>
    public static JsonObject Event(IOrderEvent orderEvent, Guid? messageId) => new()
    {
        ["type"] = orderEvent.GetType().Name,
        ["messageId"] = messageId?.ToString(),
        ["message"] = Message(orderEvent),
    };
}
