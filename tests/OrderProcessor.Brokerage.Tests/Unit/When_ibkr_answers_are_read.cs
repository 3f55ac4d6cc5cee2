using System.Text.Json;
using OrderProcessor.Brokerage.Ibkr.Json;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Brokerage.Ibkr.Session;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_ibkr_answers_are_read
{
    [Theory]
    [InlineData("""[{"order_id":"1370093239","order_status":"PreSubmitted","encrypt_message":"1"}]""")]
    [InlineData("""[{"order_id":1370093239,"order_status":"PreSubmitted","encrypt_message":"1"}]""")]
    [InlineData("""{"order_id":"1370093239","order_status":"PreSubmitted","encrypt_message":"1"}""")]
    public void Should_read_order_id_as_string_or_number(string json)
    {
        var answer = JsonSerializer.Deserialize<OrderSubmissionAnswer>(json, IbkrJson.Options)!;

        Assert.Equal("1370093239", Assert.Single(answer.Accepted).OrderId);
        Assert.Equal("1370093239", Assert.Single(answer.Entries).Accepted!.OrderId);
    }

    [Fact]
    public void Should_read_a_question()
    {
        const string json = """[{"id":"99097238-9824","isSuppressed":false,"message":["No market data.\nAre you sure?"],"messageIds":["o354"]}]""";

        var answer = JsonSerializer.Deserialize<OrderSubmissionAnswer>(json, IbkrJson.Options)!;

        var question = Assert.Single(answer.Questions);
        Assert.Equal("99097238-9824", question.Id);
        Assert.Equal(["o354"], question.MessageIds);
        Assert.Empty(answer.Accepted);
    }

    [Fact]
    public void Should_read_an_error_and_a_prompt()
    {
        var error = JsonSerializer.Deserialize<OrderSubmissionAnswer>("""{"error":"Order not confirmed "}""", IbkrJson.Options)!;
        var prompt = JsonSerializer.Deserialize<OrderSubmissionAnswer>(
            """{"orderId":123456789,"reqId":"22170","dismissable":[],"text":"Use the Price Management Algo?","messageId":"p12","prompt":true}""", IbkrJson.Options)!;

        Assert.Equal("Order not confirmed ", error.Error);
        Assert.Equal("p12", prompt.Prompt!.MessageId);
        Assert.Equal("123456789", prompt.Prompt.OrderId);
    }

    [Fact]
    public void Should_keep_every_entry_of_a_group_answer_in_its_place()
    {
        const string json = """[{"order_id":"1","order_status":"Submitted"},{"error":"Leg refused"},{"id":"r-1","message":["Sure?"],"messageIds":["o9998"]},{"error":"Another"}]""";

        var answer = JsonSerializer.Deserialize<OrderSubmissionAnswer>(json, IbkrJson.Options)!;

        Assert.Null(answer.Error);
        Assert.Equal(4, answer.Entries.Count);
        Assert.Equal("1", answer.Entries[0].Accepted!.OrderId);
        Assert.Equal("Leg refused", answer.Entries[1].Error);
        Assert.Equal("r-1", answer.Entries[2].Question!.Id);
        Assert.Equal("Another", answer.Entries[3].Error);
        Assert.Single(answer.Accepted);
        Assert.Single(answer.Questions);
    }

    [Fact]
    public void Should_read_a_tickle_with_missing_fields()
    {
        var full = JsonSerializer.Deserialize<TickleResponse>(
            """{"session":"bb66","ssoExpires":460311,"collission":false,"userId":123456789,"hmds":{"error":"no bridge"},"iserver":{"authStatus":{"authenticated":true,"competing":false,"connected":true}}}""",
            IbkrJson.Options)!;
        var sparse = JsonSerializer.Deserialize<TickleResponse>("""{"session":"bb66"}""", IbkrJson.Options)!;

        Assert.True(full.AuthStatus!.Authenticated);
        Assert.Equal("123456789", full.UserId);
        Assert.Null(sparse.AuthStatus);
        Assert.Null(sparse.SsoExpires);
    }

    [Fact]
    public void Should_read_live_orders_with_numbers_as_strings()
    {
        const string json = """{"orders":[{"acct":"DU1","conid":"265598","orderId":1799796559,"status":"Submitted","filledQuantity":"2.0","remainingQuantity":3,"totalSize":"5.0","avgPrice":"","order_ref":"c-1","lastExecutionTime_r":1702317649000}],"snapshot":true}""";

        var answer = JsonSerializer.Deserialize<LiveOrdersResponse>(json, IbkrJson.Options)!;

        var order = Assert.Single(answer.Orders!);
        Assert.Equal("1799796559", order.OrderId);
        Assert.Equal("265598", order.Conid);
        Assert.Equal(2m, order.FilledQuantity);
        Assert.Equal(3m, order.RemainingQuantity);
        Assert.Null(order.AvgPrice);
        Assert.Equal("c-1", order.OrderRef);
        Assert.True(order.IsWorking);
    }

    [Fact]
    public void Should_read_a_cancel_answer_as_object_or_array()
    {
        var single = JsonSerializer.Deserialize<CancelOrderAnswer>("""{"msg":"Request was submitted","order_id":1370093239}""", IbkrJson.Options)!;
        var array = JsonSerializer.Deserialize<CancelOrderAnswer>("""[{"msg":"Request was submitted","order_id":"1370093239"}]""", IbkrJson.Options)!;

        Assert.Equal("1370093239", single.OrderId);
        Assert.Equal("Request was submitted", array.Msg);
    }

    [Theory]
    [InlineData("1,977.60 USD (10 Shares)", "1977.60", "USD")]
    [InlineData("116,965", "116965", null)]
    [InlineData("-1", "-1", null)]
    [InlineData("1 USD", "1", "USD")]
    [InlineData("590\"\"", "590", null)]
    public void Should_parse_formatted_what_if_numbers(string text, string value, string? currency)
    {
        Assert.True(FormattedNumber.TryParse(text, out var number));
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), number.Value);
        Assert.Equal(currency, number.Currency);
    }

    [Theory]
    [InlineData("")]
    [InlineData("n/a")]
    [InlineData(null)]
    public void Should_not_invent_a_number(string? text) => Assert.False(FormattedNumber.TryParse(text, out _));
}
