using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrderProcessor.Consumers;

/// <summary>
/// Explains why a command's JSON does not bind to its contract type: it reads the MassTransit envelope's <c>message</c>
/// itself, binds it with the bus's own options to find the first field that fails (System.Text.Json names it as a JSON
/// path), and reads the command's id on its own, so a command with one bad field can still be answered. Pure code.
/// </summary>
public static partial class CommandBinding
{
    /// <summary>
    /// Null when <paramref name="body"/> is not an envelope whose <c>message</c> is a JSON object, or when that object
    /// binds to <typeparamref name="TCommand"/> (the failure was not the message's). Otherwise the failure, with
    /// <see cref="CommandBindingFailure.Command"/> null when the id itself cannot be read (such a message stays unanswered
    /// and faults to <c>_error</c>).
    /// </summary>
    public static CommandBindingFailure? Explain<TCommand>(ReadOnlyMemory<byte> body, string idProperty, JsonSerializerOptions options)
        where TCommand : class
    {
        JsonDocument document;
        try
        {
            // As the bus reads an envelope (MassTransit allows trailing commas and comments), or such a command would go unanswered.
            document = JsonDocument.Parse(body, new JsonDocumentOptions
            {
                AllowTrailingCommas = options.AllowTrailingCommas,
                CommentHandling = options.ReadCommentHandling,
                MaxDepth = options.MaxDepth,
            });
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || Property(document.RootElement, "message") is not { ValueKind: JsonValueKind.Object } message)
            {
                return null;
            }

            string field;
            string problem;
            try
            {
                message.Deserialize<TCommand>(options);
                return null;
            }
            catch (JsonException exception)
            {
                (field, var target) = ContractPath(typeof(TCommand), exception.Path);
                problem = $"{field} must be {Expected(target)}; the value given cannot be read as one.";
            }
            catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or FormatException or OverflowException)
            {
                (field, problem) = ("(message)", $"the message does not read as a {typeof(TCommand).Name}.");
            }

            var id = Property(message, idProperty) is { ValueKind: JsonValueKind.String } text
                && Guid.TryParseExact(text.GetString(), "D", out var parsed) && parsed != Guid.Empty
                    ? parsed
                    : (Guid?)null;
            var command = id is { } readable
                ? new UnboundCommand(readable, Text(message, "userId"), Text(message, "accountId"), field, problem,
                    Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.GetRawText()))))
                : null;
            return new CommandBindingFailure(field, problem, command);
        }
    }

    /// <summary>The contract's spelling of System.Text.Json's path (<c>$.OcaGroup.Orders[0].Conid</c> → <c>ocaGroup.orders[0].conid</c>) and the type found there.</summary>
    internal static (string Field, Type? Target) ContractPath(Type root, string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return ("(message)", root);
        }

        var field = new StringBuilder();
        Type? current = root;
        foreach (Match segment in PathSegment().Matches(jsonPath))
        {
            if (segment.Groups["index"].Success)
            {
                field.Append('[').Append(segment.Groups["index"].Value).Append(']');
                current = current is null ? null : ElementOf(current);
                continue;
            }

            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            var property = current?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            field.Append(field.Length == 0 ? string.Empty : ".").Append(property is null ? name : JsonNamingPolicy.CamelCase.ConvertName(property.Name));
            current = property?.PropertyType;
        }

        return (field.Length == 0 ? "(message)" : field.ToString(), current);
    }

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static string Expected(Type? type)
    {
        var plain = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return plain switch
        {
            null => "of the type the contract says",
            _ when plain == typeof(decimal) => $"a decimal number (a JSON number, or a string matching {Contracts.StrictDecimalJsonConverter.Pattern} as MassTransit writes decimals) within ±79228162514264337593543950335",
            _ when plain == typeof(int) => $"a whole JSON number from {int.MinValue} to {int.MaxValue}",
            _ when plain == typeof(long) => $"a whole JSON number from {long.MinValue} to {long.MaxValue}",
            _ when plain == typeof(bool) => "true or false",
            _ when plain == typeof(Guid) => "a GUID string (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
            _ when plain == typeof(string) => "a JSON string",
            _ when plain == typeof(DateTimeOffset) || plain == typeof(DateTime) => "an ISO 8601 date-time string",
            _ when plain != typeof(string) && ElementOf(plain) is not null => "a JSON array",
            _ => "a JSON object",
        };
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        // MassTransit binds property names case-insensitively, and System.Text.Json keeps the last of repeated names;
        // so does this (the first would answer for an id the command does not bind to).
        JsonElement? found = null;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                found = property.Value;
            }
        }

        return found;
    }

    private static string? Text(JsonElement message, string name) =>
        Property(message, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}

/// <summary>Why a command did not bind: the field and what it should be; <paramref name="Command"/> when its id can be read.</summary>
public sealed record CommandBindingFailure(string Field, string Message, UnboundCommand? Command);
