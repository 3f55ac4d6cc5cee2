using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrderProcessor.Persistence;

namespace OrderProcessor.Audit;

/// <summary>
/// Outbox rows as JSON lines: one object per row with every column, the event body as raw JSON (byte for byte what the
/// hash covers), <c>previousHash</c> and <c>hash</c>. Read back, the rows verify exactly as they did in the database.
/// </summary>
public static class OutboxJsonLines
{
    // Relaxed escaping keeps '+' of time offsets and non-ASCII text readable; the lines are data, never HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one row as one line.</summary>
    public static async Task WriteAsync(TextWriter writer, OutboxMessage row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteLineAsync(Serialize(row).AsMemory(), cancellationToken);
    }

    public static string Serialize(OutboxMessage row)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", row.Sequence);
            json.WriteString("messageId", row.MessageId);
            json.WriteString("orderId", row.OrderId);
            json.WriteNumber("orderSequence", row.OrderSequence);
            json.WriteString("messageType", row.MessageType);
            json.WriteString("correlationId", row.CorrelationId);
            json.WriteString("causationId", row.CausationId);
            json.WriteString("createdAt", row.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            WriteNullable(json, "publishedAt", row.PublishedAt?.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("attempts", row.Attempts);
            WriteNullable(json, "lastError", row.LastError);
            WriteNullable(json, "nextAttemptAt", row.NextAttemptAt?.ToString("O", CultureInfo.InvariantCulture));
            WriteNullable(json, "responseAddress", row.ResponseAddress);
            WriteNullable(json, "requestId", row.RequestId?.ToString("D"));
            WriteNullable(json, "traceParent", row.TraceParent);
            WriteNullable(json, "previousHash", row.PreviousHash);
            json.WriteString("hash", row.Hash);
            if (row.Body.Contains('\n', StringComparison.Ordinal) || row.Body.Contains('\r', StringComparison.Ordinal))
            {
                // A body with line breaks (whitespace between tokens) would split the line: keep it as a string instead.
                json.WriteString("bodyText", row.Body);
            }
            else
            {
                json.WritePropertyName("body");
                json.WriteRawValue(row.Body);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads rows back, line by line; a line that is not a row fails with its line number.</summary>
    public static async IAsyncEnumerable<OutboxMessage> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return Parse(line, lineNumber);
        }
    }

    public static OutboxMessage Parse(string line, int lineNumber = 1)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return new OutboxMessage
            {
                Sequence = Required(root, "sequence").GetInt64(),
                MessageId = Required(root, "messageId").GetGuid(),
                OrderId = Required(root, "orderId").GetGuid(),
                OrderSequence = Required(root, "orderSequence").GetInt64(),
                MessageType = Required(root, "messageType").GetString()!,
                CorrelationId = Required(root, "correlationId").GetGuid(),
                CausationId = Required(root, "causationId").GetGuid(),
                CreatedAt = Required(root, "createdAt").GetDateTimeOffset(),
                PublishedAt = Optional(root, "publishedAt")?.GetDateTimeOffset(),
                Attempts = Optional(root, "attempts")?.GetInt32() ?? 0,
                LastError = Optional(root, "lastError")?.GetString(),
                NextAttemptAt = Optional(root, "nextAttemptAt")?.GetDateTimeOffset(),
                ResponseAddress = Optional(root, "responseAddress")?.GetString(),
                RequestId = Optional(root, "requestId")?.GetGuid(),
                TraceParent = Optional(root, "traceParent")?.GetString(),
                PreviousHash = Optional(root, "previousHash")?.GetString(),
                Hash = Required(root, "hash").GetString()!,
                Body = root.TryGetProperty("body", out var body) ? body.GetRawText()
                    : root.TryGetProperty("bodyText", out var bodyText) ? bodyText.GetString()! : throw new FormatException("it has no \"body\""),
            };
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            throw new FormatException($"line {lineNumber} is not an outbox row: {exception.Message}", exception);
        }
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new FormatException($"it has no \"{name}\"");

    private static JsonElement? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
