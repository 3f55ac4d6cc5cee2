using System.Text.Json.Nodes;

namespace OrderProcessor.IntegrationTests.BadInput;

/// <summary>The corpus: every kind of bad PlaceOrder the processor must refuse clearly without losing anything else.</summary>
public static class BadCommands
{
    private const string Valid = """
        {"orderId":"00000000-0000-0000-0000-000000000000","userId":"alice","accountId":"DU1234567","conid":265598,
         "side":"BUY","quantity":5,"orderType":"MKT","timeInForce":"DAY"}
        """;

    public static IReadOnlyList<BadCommand> All()
    {
        var cases = new List<BadCommand>
        {
            Without("missing user", "userId", "userId", "required"),
            With("empty user", "userId", "", "userId", "required"),
            With("user id of 200 characters", "userId", new string('u', 200), "userId", "max-length"),
            With("user id with a line break", "userId", "alice\nbob", "userId", "printable"),
            With("long user id (10 KB)", "userId", new string('x', 10_000), "userId", "max-length"),
            // Above Consumers:MaxMessageBytes (64 KB): refused by its size before anything of it is looked at.
            With("oversized payload (a 100 KB user id)", "userId", new string('x', 100_000), "(message)", "max-bytes"),
            Without("missing account", "accountId", "accountId", "required"),
            Without("missing conid", "conid", "conid", "required"),
            With("conid 0", "conid", 0, "conid", "positive"),
            With("negative conid", "conid", -7, "conid", "positive"),
            Without("missing side", "side", "side", "required"),
            With("unknown side", "side", "HOLD", "side", "one-of"),
            With("side as an undefined number", "side", 5, "side", "one-of"),
            With("side as its ordinal (0 would have been a BUY)", "side", 0, "side", "one-of"),
            With("order type by its C# name where the wire name differs", "orderType", "Market", "orderType", "one-of"),
            Without("missing quantity (and no cashQuantity)", "quantity", "quantity", "quantity-or-cash-quantity"),
            With("quantity 0", "quantity", 0, "quantity", "positive"),
            With("negative quantity", "quantity", -5, "quantity", "positive"),
            With("absurdly large quantity", "quantity", 1_000_000_000_000m, "quantity", "max"),
            With("quantity with too many decimals", "quantity", 1.23456m, "quantity", "max-decimals"),
            Without("missing order type", "orderType", "orderType", "required"),
            With("unknown order type", "orderType", "MOONSHOT", "orderType", "one-of"),
            With("empty order type", "orderType", "", "orderType", "one-of"),
            Patch("limit order without limit price", """{"orderType":"LMT"}""", "limitPrice", "required"),
            Patch("market order with a limit price", """{"limitPrice":101}""", "limitPrice", "not-allowed"),
            Patch("limit price 0", """{"orderType":"LMT","limitPrice":0}""", "limitPrice", "positive"),
            Patch("negative limit price", """{"orderType":"LMT","limitPrice":-1}""", "limitPrice", "positive"),
            Patch("absurdly large limit price", """{"orderType":"LMT","limitPrice":1000000000}""", "limitPrice", "max"),
            Patch("limit price with too many decimals", """{"orderType":"LMT","limitPrice":100.0000001}""", "limitPrice", "max-decimals"),
            Patch("stop order without stop price", """{"orderType":"STP","side":"SELL"}""", "stopPrice", "required"),
            Patch("buy stop-limit whose limit is below its stop", """{"orderType":"STOP_LIMIT","stopPrice":100,"limitPrice":95}""", "limitPrice", "stop-limit-order"),
            Patch("trailing stop without trailing amount", """{"orderType":"TRAIL","side":"SELL","stopPrice":95,"trailingUnit":"amt"}""", "trailingAmount", "required"),
            Patch("trailing stop without trailing unit", """{"orderType":"TRAIL","side":"SELL","stopPrice":95,"trailingAmount":1}""", "trailingUnit", "required"),
            Patch("unknown trailing unit", """{"orderType":"TRAIL","side":"SELL","stopPrice":95,"trailingAmount":1,"trailingUnit":"furlongs"}""", "trailingUnit", "one-of"),
            Patch("trailing 150 %", """{"orderType":"TRAIL","side":"SELL","stopPrice":95,"trailingAmount":150,"trailingUnit":"%"}""", "trailingAmount", "percent-below-100"),
            Without("missing time in force", "timeInForce", "timeInForce", "required"),
            With("unknown time in force", "timeInForce", "FOREVER", "timeInForce", "one-of"),
            Patch("opening-auction stop order", """{"orderType":"STP","side":"SELL","stopPrice":95,"timeInForce":"OPG"}""", "timeInForce", "opg-market-or-limit"),
            With("unknown margin policy", "marginCheck", "Sometimes", "marginCheck", "one-of"),
            Patch("stop-loss above a buy entry", """{"orderType":"LMT","limitPrice":100,"stopLoss":{"orderId":"NEW","price":105}}""", "stopLoss.price", "bracket-side"),
            Patch("take-profit below a buy entry", """{"orderType":"LMT","limitPrice":100,"takeProfit":{"orderId":"NEW","price":95}}""", "takeProfit.price", "bracket-side"),
            Patch("bracket leg without an id", """{"orderType":"LMT","limitPrice":100,"stopLoss":{"price":95}}""", "stopLoss.orderId", "required"),
            Patch("bracket leg with the parent's id", """{"orderType":"LMT","limitPrice":100,"stopLoss":{"orderId":"SELF","price":95}}""", "stopLoss.orderId", "unique"),
            Patch("bracket on a stop parent", """{"orderType":"STP","stopPrice":101,"takeProfit":{"orderId":"NEW","price":120}}""", "orderType", "bracket-parent"),
            Patch("bracket combined with an OCA group", """{"orderType":"LMT","limitPrice":100,"stopLoss":{"orderId":"NEW","price":95},"ocaGroup":{"name":"g","orders":[{"orderId":"NEW","side":"BUY","quantity":1,"orderType":"MKT"}]}}""", "ocaGroup", "not-with-bracket"),
            Patch("OCA group without other orders", """{"ocaGroup":{"name":"g","orders":[]}}""", "ocaGroup.orders", "required"),
            Patch("OCA member without side", """{"ocaGroup":{"name":"g","orders":[{"orderId":"NEW","quantity":1,"orderType":"MKT"}]}}""", "ocaGroup.orders[0].side", "required"),
            Patch("cash quantity together with quantity", """{"cashQuantity":500}""", "cashQuantity", "quantity-or-cash-quantity"),
            Patch("cash quantity on a stop order", """{"quantity":null,"cashQuantity":500,"orderType":"STP","side":"SELL","stopPrice":95}""", "cashQuantity", "cash-quantity-order-type"),
            Patch("future without manualIndicator", """{"securityType":"FUT","quantity":1}""", "manualIndicator", "manual-indicator-required"),
            Patch("Adaptive with an unknown priority", """{"algo":{"strategy":"Adaptive","parameters":{"adaptivePriority":"Fast"}}}""", "algo.parameters.adaptivePriority", "algo-parameter"),
            Patch("time in force PAX", """{"orderType":"LMT","limitPrice":100,"timeInForce":"PAX"}""", "timeInForce", "not-supported"),
            Without("missing order id", "orderId", "orderId", "required"),
            With("an account the user does not own", "accountId", "DU9999999", null, null, BadOutcome.UnknownAccount),
            new("not JSON at all", "this is not json {", null, null, BadOutcome.Fault),
            new("a JSON array instead of an object", "[1,2,3]", null, null, BadOutcome.Fault),
            // Wrong JSON types and numbers beyond their type: the id can be read, so they are answered naming the field.
            Raw("quantity as words", "\"quantity\":5", "\"quantity\":\"five\"", "quantity"),
            Raw("quantity beyond decimal range", "\"quantity\":5", "\"quantity\":1e400", "quantity"),
            Raw("conid as an object", "\"conid\":265598", "\"conid\":{\"id\":265598}", "conid"),
            Raw("conid as a word", "\"conid\":265598", "\"conid\":\"AAPL\"", "conid"),
            Raw("conid beyond a 32-bit integer", "\"conid\":265598", "\"conid\":99999999999", "conid"),
            Patch("limit price as a word", """{"orderType":"LMT","limitPrice":"101.5 USD"}""", "limitPrice", "type"),
            Patch("OCA member conid as a word", """{"ocaGroup":{"name":"g","orders":[{"orderId":"NEW","conid":"MSFT","side":"BUY","quantity":1,"orderType":"MKT"}]}}""", "ocaGroup.orders[0].conid", "type"),
            Patch("stop-loss price as a boolean", """{"orderType":"LMT","limitPrice":100,"stopLoss":{"orderId":"NEW","price":true}}""", "stopLoss.price", "type"),
            // Not JSON, or no order id to answer for: the _error queue.
            Fault("NaN quantity", "\"quantity\":5", "\"quantity\":NaN"),
            Fault("order id that is not a GUID", "\"orderId\":\"00000000-0000-0000-0000-000000000000\"", "\"orderId\":\"order-42\""),
            Fault("order id as a number and a wrong type beside it", "\"orderId\":\"00000000-0000-0000-0000-000000000000\",", "\"orderId\":42,\"quantity\":\"five\","),
            Fault("no order id and a wrong type", "\"orderId\":\"00000000-0000-0000-0000-000000000000\",", "\"quantity\":\"five\","),
            new("an unknown message type", Valid, null, null, BadOutcome.Skipped, "SellTheFarm"),
        };
        return cases;
    }

    /// <summary>Gives the case a fresh order id (and fresh ids for legs marked NEW, the parent's for SELF).</summary>
    public static (string Body, Guid OrderId) Instantiate(BadCommand command)
    {
        var orderId = Guid.NewGuid();
        var body = command.Body.Replace("00000000-0000-0000-0000-000000000000", orderId.ToString(), StringComparison.Ordinal)
            .Replace("\"SELF\"", $"\"{orderId}\"", StringComparison.Ordinal);
        while (body.Contains("\"NEW\"", StringComparison.Ordinal))
        {
            var at = body.IndexOf("\"NEW\"", StringComparison.Ordinal);
            body = body[..at] + $"\"{Guid.NewGuid()}\"" + body[(at + 5)..];
        }

        return (body, orderId);
    }

    private static BadCommand Without(string name, string property, string field, string rule)
    {
        var json = JsonNode.Parse(Valid)!.AsObject();
        json.Remove(property);
        return new BadCommand(name, json.ToJsonString(), field, rule);
    }

    private static BadCommand With(string name, string property, object value, string? field, string? rule, BadOutcome outcome = BadOutcome.Rejected)
    {
        var json = JsonNode.Parse(Valid)!.AsObject();
        json[property] = JsonValue.Create(value);
        return new BadCommand(name, json.ToJsonString(), field, rule, outcome);
    }

    private static BadCommand Patch(string name, string patch, string field, string rule)
    {
        var json = JsonNode.Parse(Valid)!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
        {
            json[key] = value?.DeepClone();
        }

        return new BadCommand(name, json.ToJsonString(), field, rule);
    }

    private static BadCommand Raw(string name, string replace, string with, string field) =>
        new(name, Replaced(replace, with), field, "type");

    private static BadCommand Fault(string name, string replace, string with) =>
        new(name, Replaced(replace, with), null, null, BadOutcome.Fault);

    private static string Replaced(string replace, string with)
    {
        var valid = JsonNode.Parse(Valid)!.ToJsonString();
        var replaced = valid.Replace(replace, with, StringComparison.Ordinal);
        return replaced != valid ? replaced : throw new InvalidOperationException($"'{replace}' is not in the valid command.");
    }
}
