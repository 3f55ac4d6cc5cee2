using System.Text.Json;
using OrderProcessor.Contracts;

namespace OrderProcessor.UnitTests.Contracts;

public sealed class When_an_enum_is_read_from_json
{
    [Theory]
    [InlineData("\"STOP_LIMIT\"", OrderType.StopLimit)]
    [InlineData("\"stop_limit\"", OrderType.StopLimit)]
    [InlineData("\"lmt\"", OrderType.Limit)]
    public void Should_accept_the_wire_name_in_any_letter_case(string json, OrderType expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize<OrderType>(json));

    [Theory]
    [InlineData("\"MOONSHOT\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("0")] // an ordinal: on a trading wire 0 would silently be a MKT (or a BUY), never an intent
    [InlineData("1")]
    [InlineData("\"StopLimit\"")] // the C# name is not the documented wire name
    [InlineData("\"\"")]
    public void Should_read_anything_but_a_wire_name_as_unrecognised_instead_of_failing(string json)
    {
        var value = JsonSerializer.Deserialize<OrderType>(json);
        Assert.Equal(LenientEnumConverter<OrderType>.Unrecognised, value);
        Assert.False(Enum.IsDefined(value));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("\"0\"")]
    public void Should_refuse_a_side_given_as_a_number_naming_the_field(string json)
    {
        var command = JsonSerializer.Deserialize<PlaceOrder>(
            $$"""{"orderId":"{{Guid.NewGuid()}}","userId":"u","accountId":"A1","conid":1,"side":{{json}},"quantity":1,"orderType":"MKT","timeInForce":"DAY"}""",
            JsonSerializerOptions.Web)!;
        var violation = Assert.Single(OrderProcessor.Orders.PlaceOrderValidator.Validate(command));
        Assert.Equal(("side", "one-of"), (violation.Field, violation.Rule));
    }

    [Fact]
    public void Should_write_the_ibkr_wire_name() =>
        Assert.Equal("{\"orderType\":\"TRAILLMT\",\"trailingUnit\":\"%\"}",
            JsonSerializer.Serialize(new { orderType = OrderType.TrailingStopLimit, trailingUnit = TrailingUnit.Percent }));

    [Fact]
    public void Should_leave_a_missing_enum_field_null_so_validation_can_name_it()
    {
        var command = JsonSerializer.Deserialize<PlaceOrder>("{\"quantity\":1}", JsonSerializerOptions.Web)!;
        Assert.Null(command.OrderType);
        Assert.Null(command.Side);
    }
}
