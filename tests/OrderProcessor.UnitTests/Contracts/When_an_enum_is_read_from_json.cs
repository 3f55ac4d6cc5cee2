using System.Text.Json;
using OrderProcessor.Contracts;

namespace OrderProcessor.UnitTests.Contracts;

public sealed class When_an_enum_is_read_from_json
{
    [Theory]
    [InlineData("\"STOP_LIMIT\"", OrderType.StopLimit)]
    [InlineData("\"StopLimit\"", OrderType.StopLimit)]
    [InlineData("\"lmt\"", OrderType.Limit)]
    [InlineData("0", OrderType.Market)]
    public void Should_accept_the_wire_name_the_csharp_name_and_the_number(string json, OrderType expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize<OrderType>(json));

    [Theory]
    [InlineData("\"MOONSHOT\"")]
    [InlineData("42")]
    [InlineData("true")]
    public void Should_read_an_unknown_value_as_unrecognised_instead_of_failing(string json)
    {
        var value = JsonSerializer.Deserialize<OrderType>(json);
        Assert.Equal(LenientEnumConverter<OrderType>.Unrecognised, value);
        Assert.False(Enum.IsDefined(value));
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
