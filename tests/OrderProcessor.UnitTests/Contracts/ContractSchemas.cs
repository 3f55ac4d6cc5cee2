using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Contracts;

/// <summary>
/// Writes the JSON Schemas (draft 2020-12) of every command and event from the contract types themselves: the
/// properties and their JSON types by reflection, enums by their wire names, descriptions from the contracts' XML docs,
/// and the commands' required fields and limits from the validators' own constants. <c>contracts/schemas</c> holds
/// what this writes; <see cref="When_the_contract_is_published"/> fails when the two differ.
/// </summary>
internal static class ContractSchemas
{
    public const string Draft = "https://json-schema.org/draft/2020-12/schema";

    public static readonly Type[] Commands = [typeof(PlaceOrder), typeof(CancelOrder), typeof(ModifyOrder), typeof(MarginCheck), typeof(HaltTrading), typeof(ResumeTrading)];

    public static readonly Type[] Events =
    [
        typeof(OrderAccepted), typeof(MarginCheckCompleted), typeof(OrderSubmitted), typeof(OrderStatusChanged),
        typeof(OrderPartiallyFilled), typeof(OrderFilled), typeof(OrderCancelled), typeof(OrderModified), typeof(OrderRejected),
        typeof(OrderFailed), typeof(OrderHeld), typeof(TradingHalted), typeof(TradingResumed), typeof(IOrderEvent),
    ];

    /// <summary>What a valid command must carry; the rest of the validation (cross-field rules) is the processor's.</summary>
    /// <summary>The fields the validators refuse when missing (rule <c>required</c>); a test compares them with the validator's.</summary>
    public static readonly IReadOnlyDictionary<Type, string[]> RequiredByValidation = new Dictionary<Type, string[]>
    {
        [typeof(PlaceOrder)] = ["orderId", "userId", "accountId", "conid", "side", "quantity", "orderType", "timeInForce"],
        [typeof(CancelOrder)] = ["orderId", "userId"],
        [typeof(ModifyOrder)] = ["orderId", "userId"],
        [typeof(MarginCheck)] = ["checkId", "userId", "accountId", "conid", "side", "quantity", "orderType"],
        [typeof(OrderLeg)] = ["orderId", "side", "quantity", "orderType"],
        [typeof(AttachedOrder)] = ["orderId", "price"],
        [typeof(OcaGroup)] = ["name", "orders"],
    };

    /// <summary>A decimal written as a string: what MassTransit writes (no exponent, no spaces).</summary>
    public const string DecimalPattern = StrictDecimalJsonConverter.Pattern;

    /// <summary>
    /// A positive field's decimal string: no minus. exclusiveMinimum and maximum judge JSON numbers only, so a string's
    /// range (zero, above the maximum) is checked by the processor alone (rule positive / max).
    /// </summary>
    public const string NonNegativeDecimalPattern = @"^[0-9]+(\.[0-9]+)?$";

    private static readonly string[] LimitTypes = ["LMT", "STOP_LIMIT", "TRAILLMT"];
    private static readonly string[] StopTypes = ["STP", "STOP_LIMIT", "TRAIL", "TRAILLMT"];
    private static readonly string[] TrailingTypes = ["TRAIL", "TRAILLMT"];

    private static readonly NullabilityInfoContext Nullability = new();
    private static readonly Lazy<XDocument?> Docs = new(() =>
    {
        var path = Path.ChangeExtension(typeof(PlaceOrder).Assembly.Location, ".xml");
        return File.Exists(path) ? XDocument.Load(path) : null;
    });

    /// <summary>File name → content of every schema, as the repository holds them.</summary>
    public static IReadOnlyDictionary<string, string> All() =>
        Commands.Concat(Events).ToDictionary(t => FileName(t), t => Write(Generate(t, isCommand: Commands.Contains(t))));

    public static string FileName(Type type) => type.Name + ".schema.json";

    public static string MessageUrn(Type type) => $"urn:message:{type.Namespace}:{type.Name}";

    public static string Write(JsonNode node) =>
        node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    public static JsonObject Generate(Type type, bool isCommand)
    {
        var defs = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var schema = new JsonObject
        {
            ["$schema"] = Draft,
            ["$id"] = MessageUrn(type),
            ["title"] = type.Name,
        };
        AddDescription(schema, TypeDoc(type));
        foreach (var (key, value) in ObjectSchema(type, isCommand, defs))
        {
            schema[key] = value?.DeepClone();
        }

        if (defs.Count > 0)
        {
            var defsNode = new JsonObject();
            foreach (var (name, def) in defs)
            {
                defsNode[name] = def;
            }

            schema["$defs"] = defsNode;
        }

        return schema;
    }

    private static JsonObject ObjectSchema(Type type, bool isCommand, SortedDictionary<string, JsonNode> defs)
    {
        var properties = new JsonObject();
        var required = new List<string>();
        foreach (var property in PropertiesOf(type))
        {
            var name = WireName(property);
            var nullable = IsNullable(property);
            var isRequired = isCommand ? RequiredByValidation.GetValueOrDefault(type)?.Contains(name) == true : !nullable;

            // A field the validator requires is refused when null, so its schema does not allow null either.
            var schema = ValueSchema(property.PropertyType, isCommand, defs, nullable && !isRequired);
            if (isCommand)
            {
                AddLimits(schema, type, name);
            }

            AddDescription(schema, PropertyDoc(type, property));
            properties[name] = schema;
            if (isRequired)
            {
                required.Add(name);
            }
        }

        var result = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0)
        {
            result["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
        }

        if (isCommand && properties.ContainsKey("orderType"))
        {
            result["allOf"] = OrderTypeRules(properties);
        }

        return result;
    }

    /// <summary>The prices each order type needs and forbids, as the validator checks them (null counts as absent).</summary>
    private static JsonArray OrderTypeRules(JsonObject properties)
    {
        var rules = new JsonArray();
        void Rule(string field, string[] types)
        {
            if (!properties.ContainsKey(field))
            {
                return;
            }

            rules.Add(new JsonObject
            {
                ["if"] = new JsonObject
                {
                    ["properties"] = new JsonObject { ["orderType"] = new JsonObject { ["enum"] = new JsonArray([.. types.Select(t => (JsonNode)t)]) } },
                    ["required"] = new JsonArray("orderType"),
                },
                ["then"] = new JsonObject
                {
                    ["properties"] = new JsonObject { [field] = new JsonObject { ["type"] = new JsonArray("number", "string") } },
                    ["required"] = new JsonArray(field),
                },
                ["else"] = new JsonObject { ["properties"] = new JsonObject { [field] = new JsonObject { ["type"] = "null" } } },
            });
        }

        Rule("limitPrice", LimitTypes);
        Rule("stopPrice", StopTypes);
        Rule("trailingAmount", TrailingTypes);
        if (properties.ContainsKey("trailingUnit"))
        {
            rules.Add(new JsonObject
            {
                ["if"] = new JsonObject
                {
                    ["properties"] = new JsonObject { ["orderType"] = new JsonObject { ["enum"] = new JsonArray([.. TrailingTypes.Select(t => (JsonNode)t)]) } },
                    ["required"] = new JsonArray("orderType"),
                },
                ["then"] = new JsonObject { ["required"] = new JsonArray("trailingUnit"), ["properties"] = new JsonObject { ["trailingUnit"] = new JsonObject { ["type"] = "string" } } },
                ["else"] = new JsonObject { ["properties"] = new JsonObject { ["trailingUnit"] = new JsonObject { ["type"] = "null" } } },
            });
        }

        return rules;
    }

    /// <summary>The validators' limits on a command's fields (OrderLimits), so the schema refuses what the processor refuses.</summary>
    private static void AddLimits(JsonObject schema, Type owner, string name)
    {
        switch (name)
        {
            case "userId" or "accountId":
            case "name" when owner == typeof(OcaGroup):
                schema["minLength"] = 1;
                schema["maxLength"] = OrderLimits.MaxIdLength;
                schema["pattern"] = @"^\S(.*\S)?$";
                break;
            case "conid":
                schema["minimum"] = 1;
                break;
            case "quantity":
                schema["exclusiveMinimum"] = 0;
                schema["maximum"] = OrderLimits.MaxQuantity;
                schema["pattern"] = NonNegativeDecimalPattern;
                break;
            case "limitPrice" or "stopPrice" or "trailingAmount" or "price":
                schema["exclusiveMinimum"] = 0;
                schema["maximum"] = OrderLimits.MaxPrice;
                schema["pattern"] = NonNegativeDecimalPattern;
                break;
            case "orders" when owner == typeof(OcaGroup):
                schema["minItems"] = 1;
                schema["maxItems"] = OrderLimits.MaxOcaOrders;
                break;
            case "orderId" or "checkId":
                schema["not"] = new JsonObject { ["const"] = Guid.Empty.ToString() };
                break;
        }
    }

    private static JsonObject ValueSchema(Type type, bool isCommand, SortedDictionary<string, JsonNode> defs, bool nullable)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        JsonObject schema;
        if (plain.IsEnum)
        {
            AddEnum(plain, defs);
            schema = Ref(plain.Name, nullable);
            return schema;
        }

        if (plain == typeof(string))
        {
            schema = Typed("string", nullable);
        }
        else if (plain == typeof(Guid))
        {
            schema = Typed("string", nullable);
            schema["format"] = "uuid";
            schema["pattern"] = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
        }
        else if (plain == typeof(DateTimeOffset) || plain == typeof(DateTime))
        {
            schema = Typed("string", nullable);
            schema["format"] = "date-time";
        }
        else if (plain == typeof(bool))
        {
            schema = Typed("boolean", nullable);
        }
        else if (plain == typeof(int))
        {
            schema = Typed("integer", nullable);
            schema["minimum"] = int.MinValue;
            schema["maximum"] = int.MaxValue;
        }
        else if (plain == typeof(long))
        {
            schema = Typed("integer", nullable);
            schema["minimum"] = long.MinValue;
            schema["maximum"] = long.MaxValue;
        }
        else if (plain == typeof(decimal))
        {
            // MassTransit writes decimals as JSON strings ("101.25", precision kept) and reads numbers and numeric strings.
            schema = new JsonObject
            {
                ["type"] = nullable ? new JsonArray("number", "string", "null") : new JsonArray("number", "string"),
                ["pattern"] = DecimalPattern,
            };
        }
        else if (StringKeyedValueOf(plain) is { } valueType)
        {
            // A dictionary with string keys (e.g. an algorithm's parameters) is a JSON object of its values.
            schema = Typed("object", nullable);
            schema["additionalProperties"] = ValueSchema(valueType, isCommand, defs, false);
        }
        else if (plain != typeof(string) && ElementOf(plain) is { } element)
        {
            schema = Typed("array", nullable);
            schema["items"] = ValueSchema(element, isCommand, defs, IsNullableElement(element));
        }
        else if (plain.IsClass)
        {
            if (!defs.ContainsKey(plain.Name))
            {
                defs[plain.Name] = new JsonObject(); // a placeholder first: a type may refer to itself
                var def = new JsonObject();
                AddDescription(def, TypeDoc(plain));
                foreach (var (key, value) in ObjectSchema(plain, isCommand, defs))
                {
                    def[key] = value?.DeepClone();
                }

                defs[plain.Name] = def;
            }

            schema = Ref(plain.Name, nullable);
        }
        else
        {
            throw new NotSupportedException($"{type} has no JSON Schema mapping: teach ContractSchemas its wire form.");
        }

        return schema;
    }

    private static bool IsNullableElement(Type element) => Nullable.GetUnderlyingType(element) is not null;

    private static void AddEnum(Type enumType, SortedDictionary<string, JsonNode> defs)
    {
        if (defs.ContainsKey(enumType.Name))
        {
            return;
        }

        var names = Enum.GetValues(enumType).Cast<object>()
            .Select(value => enumType.GetField(value.ToString()!)!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString()!)
            .ToList();
        var def = new JsonObject
        {
            ["type"] = "string",
            ["enum"] = new JsonArray([.. names.Select(n => (JsonNode)n)]),
        };
        AddDescription(def, (TypeDoc(enumType) + " By wire name only (the processor also reads them in any letter case); a number is refused.").Trim());
        defs[enumType.Name] = def;
    }

    private static JsonObject Ref(string name, bool nullable) => nullable
        ? new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/$defs/" + name }, new JsonObject { ["type"] = "null" }) }
        : new JsonObject { ["$ref"] = "#/$defs/" + name };

    private static JsonObject Typed(string type, bool nullable) =>
        new() { ["type"] = nullable ? new JsonArray(type, "null") : type };

    private static IEnumerable<PropertyInfo> PropertiesOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null or { Condition: not JsonIgnoreCondition.Always })
            .OrderBy(p => p.DeclaringType == type ? 1 : 0).ThenBy(p => p.MetadataToken);

    private static string WireName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static bool IsNullable(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null
        || (!property.PropertyType.IsValueType && Nullability.Create(property).ReadState == NullabilityState.Nullable);

    private static Type? StringKeyedValueOf(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
            ?.GetGenericArguments()[1];

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static void AddDescription(JsonObject schema, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            schema["description"] = text;
        }
    }

    private static string TypeDoc(Type type) => Summary(Member("T:" + type.FullName)) ?? string.Empty;

    private static string? PropertyDoc(Type type, PropertyInfo property)
    {
        var member = Member($"P:{property.DeclaringType!.FullName}.{property.Name}");
        if (member?.Element("inheritdoc") is not null || member is null)
        {
            // <inheritdoc/> from IOrderEvent, or a positional record's <param>.
            var inherited = type.GetInterfaces().Select(i => Member($"P:{i.FullName}.{property.Name}")).FirstOrDefault(m => m is not null);
            return Summary(inherited) ?? Text(Member("T:" + type.FullName)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == property.Name));
        }

        return Summary(member);
    }

    private static XElement? Member(string name) =>
        Docs.Value?.Root?.Element("members")?.Elements("member").FirstOrDefault(m => (string?)m.Attribute("name") == name);

    private static string? Summary(XElement? member) => Text(member?.Element("summary"));

    private static string? Text(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var parts = element.Nodes().Select(node => node switch
        {
            XText text => text.Value,
            XElement { Name.LocalName: "see" or "seealso" } see => ((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? see.Value).Split('.', ':').Last(),
            XElement other => other.Value,
            _ => string.Empty,
        });
        return string.Join(" ", string.Concat(parts).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }
}
