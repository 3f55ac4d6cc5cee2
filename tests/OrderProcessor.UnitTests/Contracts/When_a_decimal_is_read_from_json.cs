using System.Text;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using OrderProcessor.Configuration;
using OrderProcessor.Consumers;
using OrderProcessor.Contracts;
using OrderProcessor.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Contracts;

/// <summary>
/// A decimal is read only as the contract says: a JSON number or a string matching <c>^-?[0-9]+(\.[0-9]+)?$</c>.
/// MassTransit's default converter read <c>"1,5"</c> as 15 (a comma-decimal client's position ten times too big).
/// </summary>
public sealed class When_a_decimal_is_read_from_json(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Strict = StrictDecimalJsonConverter.ReadStrictly(new JsonSerializerOptions(SystemTextJsonMessageSerializer.Options));

    [Theory]
    [InlineData("5", "5")]
    [InlineData("1.5", "1.5")]
    [InlineData("-0.25", "-0.25")]
    [InlineData("1e3", "1000")] // a JSON number may have an exponent: JSON says so, and the schema's type number allows it
    [InlineData("\"5\"", "5")]
    [InlineData("\"101.25\"", "101.25")]
    [InlineData("\"-3.0\"", "-3.0")]
    [InlineData("\"79228162514264337593543950335\"", "79228162514264337593543950335")]
    public void Should_read_a_number_or_a_plain_decimal_string(string json, string expected)
    {
        var value = JsonSerializer.Deserialize<decimal>(json, Strict);
        output.WriteLine($"{json} → {value}");
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("\"1,5\"")]
    [InlineData("\"101,25\"")]
    [InlineData("\"1e3\"")]
    [InlineData("\" 5\"")]
    [InlineData("\"5 \"")]
    [InlineData("\"5-\"")]
    [InlineData("\"+5\"")]
    [InlineData("\"\"")]
    [InlineData("\".5\"")]
    [InlineData("\"5.\"")]
    [InlineData("\"5\\n\"")]
    [InlineData("\"1,000.5\"")]
    [InlineData("\"99999999999999999999999999999999\"")]
    [InlineData("true")]
    [InlineData("{}")]
    public void Should_refuse_any_other_string_or_type(string json)
    {
        var loose = Loosely(json);
        var exception = Record.Exception(() => JsonSerializer.Deserialize<decimal>(json, Strict));
        output.WriteLine($"{json}: MassTransit's default read {loose}; strict → {exception?.GetType().Name ?? "accepted"}");
        Assert.IsType<JsonException>(exception);
    }

    [Fact]
    public void Should_write_exactly_as_MassTransit_writes_so_published_and_stored_bodies_are_unchanged()
    {
        var filled = new OrderFilled
        {
            OrderId = Guid.Parse("7c4f1a52-8d0e-4b7a-9a43-52d1a0f0c001"),
            FilledQuantity = 1.50m,
            AveragePrice = 79228162514264337593543950335m,
        };
        var before = JsonSerializer.Serialize(filled, SystemTextJsonMessageSerializer.Options.Converters[0] is StrictDecimalJsonConverter ? WithoutStrict() : SystemTextJsonMessageSerializer.Options);
        var after = JsonSerializer.Serialize(filled, Strict);
        output.WriteLine(after);
        Assert.Equal(before, after);
        foreach (var value in new[] { 0m, 5m, 1.50m, -0.0001m, 0.0000000000000000000000000001m, decimal.MinValue, decimal.MaxValue })
        {
            Assert.Equal(JsonSerializer.Serialize(value, WithoutStrict()), JsonSerializer.Serialize(value, Strict));
        }
    }

    [Fact]
    public void Should_be_what_every_bus_of_this_codebase_reads_with()
    {
        // Creating a bus does not connect; ConnectTo is what the processor's, the CLI's and the tests' buses share.
        _ = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.ConnectTo(new RabbitMqOptions { Host = "localhost", Username = "u", Password = "p" }));
        var failure = CommandBinding.Explain<PlaceOrder>(
            Encoding.UTF8.GetBytes("""{"messageId":"7c4f1a52-8d0e-4b7a-9a43-52d1a0f0c009","message":{"orderId":"7c4f1a52-8d0e-4b7a-9a43-52d1a0f0c001","quantity":"1,5"}}"""),
            "orderId", SystemTextJsonMessageSerializer.Options);
        output.WriteLine($"quantity \"1,5\" on the bus's options → {failure?.Field}: {failure?.Message}");
        Assert.IsType<StrictDecimalJsonConverter>(SystemTextJsonMessageSerializer.Options.Converters[0]);
        Assert.Equal("quantity", failure?.Field);
    }

    private static string Loosely(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<decimal>(json, WithoutStrict()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            return exception.GetType().Name;
        }
    }

    private static JsonSerializerOptions WithoutStrict()
    {
        var options = new JsonSerializerOptions(SystemTextJsonMessageSerializer.Options);
        foreach (var strict in options.Converters.OfType<StrictDecimalJsonConverter>().ToList())
        {
            options.Converters.Remove(strict);
        }

        return options;
    }
}
