using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema.Validation;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Ibkr.Json;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Unit;

/// <summary>
/// Each ticket shape of issue 16 as the guard writes it: IBKR's field names and JSON types, flags left out when unset
/// (manualIndicator false written), and the body valid against singleOrderSubmissionRequest in IBKR's OpenAPI document.
/// OVT and OND are the one deviation: IBKR's order ticket takes them (ib-web-api.md §2) but schema 2.28.0's tif enum
/// lists only DAY, IOC, GTC, OPG and PAX, so their bodies are checked to break that enum and nothing else.
/// </summary>
public sealed class When_the_whole_ibkr_ticket_is_written(ITestOutputHelper output)
{
    private static OrderTicket Base => new()
    {
        ClientOrderId = "c-16",
        Conid = 265598,
        Side = BrokerOrderSide.Buy,
        OrderType = BrokerOrderType.Market,
        Quantity = 5,
    };

    public static TheoryData<string, OrderTicket, string> Shapes => new()
    {
        { "cash quantity", Base with { Quantity = 0, CashQuantity = 500.25m }, """{"cashQty":500.25,"quantity":0}""" },
        { "future, automated", Base with { SecType = "FUT", ListingExchange = "CME", ManualIndicator = false }, """{"secType":"FUT","listingExchange":"CME","manualIndicator":false}""" },
        { "future, by a person", Base with { SecType = "FUT", ManualIndicator = true }, """{"manualIndicator":true}""" },
        {
            "adaptive algo", Base with { OrderType = BrokerOrderType.Limit, Price = 190m, Strategy = "Adaptive", StrategyParameters = new Dictionary<string, string> { ["adaptivePriority"] = "Urgent" } },
            """{"strategy":"Adaptive","strategyParameters":{"adaptivePriority":"Urgent"},"orderType":"LMT"}"""
        },
        { "use adaptive", Base with { UseAdaptive = true }, """{"useAdaptive":true}""" },
        { "all or none", Base with { OrderType = BrokerOrderType.Limit, Price = 10m, AllOrNone = true, TimeInForce = BrokerTimeInForce.Gtc }, """{"allOrNone":true,"tif":"GTC"}""" },
        {
            "currency conversion", Base with { Conid = 12087792, SecType = "CASH", Conidex = "12087792@IDEALPRO", CurrencyConversion = true, Quantity = 0, CashQuantity = 1000m },
            """{"secType":"CASH","conidex":"12087792@IDEALPRO","isCcyConv":true,"cashQty":1000}"""
        },
        { "midprice with a cap", Base with { OrderType = BrokerOrderType.MidPrice, Price = 191.5m }, """{"orderType":"MIDPRICE","price":191.5}""" },
        { "midprice without a cap", Base with { OrderType = BrokerOrderType.MidPrice }, """{"orderType":"MIDPRICE"}""" },
        { "pax", Base with { TimeInForce = BrokerTimeInForce.Pax }, """{"tif":"PAX"}""" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Should_write_ibkrs_names_and_a_body_valid_against_ibkrs_schema(string shape, OrderTicket ticket, string expected)
    {
        var body = Body(ticket);
        output.WriteLine($"{shape}: {body}");

        var written = JsonNode.Parse(body)!["orders"]![0]!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(expected)!.AsObject())
        {
            Assert.True(JsonNode.DeepEquals(value, written[name]), $"{shape}: {name} is {written[name]?.ToJsonString() ?? "absent"}, expected {value?.ToJsonString()}");
        }

        var schema = await OpenApiSchemas.RequestBodyAsync("POST", "/iserver/account/{accountId}/orders");
        var errors = schema.Validate(body);
        Assert.True(errors.Count == 0, $"{shape}: {string.Join("; ", errors.Select(e => $"{e.Path} {e.Kind}"))}");
    }

    [Fact]
    public void Should_leave_out_every_field_a_plain_ticket_does_not_set()
    {
        var written = JsonNode.Parse(Body(Base))!["orders"]![0]!.AsObject();
        output.WriteLine(written.ToJsonString());

        string[] unset = ["cashQty", "secType", "listingExchange", "conidex", "strategy", "strategyParameters", "useAdaptive", "allOrNone", "manualIndicator", "isCcyConv"];
        Assert.Equal([], unset.Where(written.ContainsKey).ToList());
    }

    [Fact]
    public void Should_send_no_parameters_for_an_algorithm_without_them_and_none_without_an_algorithm()
    {
        var bare = OrderTicketMapper.ToIbkr(Base with { Strategy = "Adaptive", StrategyParameters = new Dictionary<string, string>() }, "DU1");
        var orphan = OrderTicketMapper.ToIbkr(Base with { StrategyParameters = new Dictionary<string, string> { ["adaptivePriority"] = "Normal" } }, "DU1");

        Assert.Equal(("Adaptive", (IReadOnlyDictionary<string, string>?)null), (bare.Strategy, bare.StrategyParameters));
        Assert.Null(orphan.StrategyParameters);
    }

    [Theory]
    [InlineData(BrokerTimeInForce.Ovt, "OVT")]
    [InlineData(BrokerTimeInForce.Ond, "OND")]
    public async Task Should_send_the_overnight_times_in_force_that_ibkrs_schema_does_not_list(BrokerTimeInForce tif, string expected)
    {
        var body = Body(Base with { OrderType = BrokerOrderType.Limit, Price = 190m, TimeInForce = tif });
        output.WriteLine(body);

        var schema = await OpenApiSchemas.RequestBodyAsync("POST", "/iserver/account/{accountId}/orders");
        var errors = schema.Validate(body);
        Assert.Equal(expected, JsonNode.Parse(body)!["orders"]![0]!["tif"]!.GetValue<string>());
        var leaves = Leaves(errors).Select(e => $"{e.Property} {e.Kind}").ToList();
        output.WriteLine(string.Join("; ", leaves));
        Assert.Equal(["tif NotInEnumeration"], leaves);
    }

    // NJsonSchema reports an error inside a referenced schema (the ticket in the orders array) as a child error.
    private static IEnumerable<ValidationError> Leaves(IEnumerable<ValidationError> errors) =>
        errors.SelectMany(e => e is ChildSchemaValidationError child ? Leaves(child.Errors.SelectMany(c => c.Value)) : [e]);

    private static string Body(OrderTicket ticket) =>
        JsonSerializer.Serialize(new OrdersSubmissionRequest([OrderTicketMapper.ToIbkr(ticket, "DU1234567")]), IbkrJson.Options);
}
