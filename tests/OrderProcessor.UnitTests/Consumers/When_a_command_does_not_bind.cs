using System.Text;
using MassTransit.Serialization;
using OrderProcessor.Consumers;
using OrderProcessor.Contracts;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Consumers;

public sealed class When_a_command_does_not_bind(ITestOutputHelper output)
{
    private static readonly Guid Id = Guid.Parse("7c4f1a52-8d0e-4b7a-9a43-52d1a0f0c001");

    [Theory]
    [InlineData("\"conid\":\"AAPL\"", "conid", "whole JSON number")]
    [InlineData("\"conid\":99999999999", "conid", "whole JSON number")]
    [InlineData("\"conid\":\"265598\"", "conid", "whole JSON number")] // only decimals are read from strings (MassTransit writes them so)
    [InlineData("\"quantity\":1e400", "quantity", "decimal number")]
    [InlineData("\"Quantity\":true", "quantity", "decimal number")] // as MassTransit binds names: case-insensitively, named in the contract's spelling
    [InlineData("\"limitPrice\":\"cheap\"", "limitPrice", "decimal number")]
    [InlineData("\"stopLoss\":{\"orderId\":\"x\",\"price\":1}", "stopLoss.orderId", "GUID")]
    [InlineData("\"ocaGroup\":{\"name\":\"g\",\"orders\":[{\"orderId\":\"7c4f1a52-8d0e-4b7a-9a43-52d1a0f0c002\"},{\"conid\":\"MSFT\"}]}", "ocaGroup.orders[1].conid", "whole JSON number")]
    [InlineData("\"ocaGroup\":[1]", "ocaGroup", "JSON object")]
    [InlineData("\"outsideRegularHours\":\"yes\"", "outsideRegularHours", "true or false")]
    public void Should_name_the_field_as_the_contract_spells_it_and_read_the_order_id(string field, string expectedField, string expectedWords)
    {
        var failure = Explain<PlaceOrder>($$"""{"orderId":"{{Id}}","userId":"alice","accountId":"DU1",{{field}}}""", "orderId");
        output.WriteLine($"{field} → {failure?.Field}: {failure?.Message}");
        Assert.NotNull(failure);
        Assert.Equal(expectedField, failure.Field);
        Assert.Contains(expectedWords, failure.Message, StringComparison.Ordinal);
        Assert.Equal(Id, failure.Command?.Id);
        Assert.Equal(("alice", "DU1"), (failure.Command!.UserId, failure.Command.AccountId));
    }

    [Theory]
    [InlineData("""{"orderId":"order-42","quantity":"five"}""")]
    [InlineData("""{"orderId":42,"quantity":"five"}""")]
    [InlineData("""{"quantity":"five"}""")]
    [InlineData("""{"orderId":"00000000-0000-0000-0000-000000000000","quantity":"five"}""")]
    public void Should_leave_a_command_without_a_readable_id_unanswered(string message)
    {
        var failure = Explain<PlaceOrder>(message, "orderId");
        output.WriteLine($"{message} → {failure?.Field}, command {(failure?.Command is null ? "none" : "read")}");
        Assert.NotNull(failure);
        Assert.Null(failure.Command);
    }

    [Fact]
    public void Should_read_a_margin_checks_id_from_check_id()
    {
        var failure = Explain<MarginCheck>($$"""{"checkId":"{{Id}}","quantity":"five"}""", "checkId");
        Assert.Equal((Id, "quantity"), (failure?.Command?.Id, failure?.Field));
    }

    [Theory]
    [InlineData("""{"orderId":"7c4f1a52-8d0e-4b7a-9a43-52d1a0f0c001","quantity":"5","side":0}""")] // a numeric string binds; an ordinal enum binds (and is refused by the validator)
    [InlineData("""[1,2,3]""")]
    public void Should_not_explain_what_binds_or_is_no_command_object(string message) =>
        Assert.Null(Explain<PlaceOrder>(message, "orderId"));

    [Fact]
    public void Should_hash_the_message_as_received_so_a_redelivery_repeats_it()
    {
        var first = Explain<PlaceOrder>($$"""{"orderId":"{{Id}}","conid":"AAPL"}""", "orderId")!.Command!;
        var again = Explain<PlaceOrder>($$"""{"orderId":"{{Id}}","conid":"AAPL"}""", "orderId")!.Command!;
        var other = Explain<PlaceOrder>($$"""{"orderId":"{{Id}}","conid":"MSFT"}""", "orderId")!.Command!;
        Assert.Equal(first.ContentHash, again.ContentHash);
        Assert.NotEqual(first.ContentHash, other.ContentHash);
    }

    [Fact]
    public void Should_read_an_envelope_with_trailing_commas_and_comments_as_the_bus_does()
    {
        var body = $$"""
            {"messageId":"{{Guid.NewGuid()}}", /* a comment */ "message":{"orderId":"{{Id}}","conid":"AAPL",},}
            """;
        var failure = CommandBinding.Explain<PlaceOrder>(Encoding.UTF8.GetBytes(body), "orderId", SystemTextJsonMessageSerializer.Options);
        output.WriteLine($"trailing commas and a comment → {failure?.Field}, id {failure?.Command?.Id}");
        Assert.Equal(("conid", Id), (failure?.Field, failure?.Command?.Id));
    }

    [Fact]
    public void Should_read_the_last_of_repeated_id_properties_as_System_Text_Json_binds_it()
    {
        var other = Guid.Parse("7c4f1a52-8d0e-4b7a-9a43-52d1a0f0c0ff");
        var failure = Explain<PlaceOrder>($$"""{"orderId":"{{other}}","userId":"mallory","OrderId":"{{Id}}","UserId":"alice","conid":"AAPL"}""", "orderId");
        output.WriteLine($"orderId {other} then OrderId {Id} → answered for {failure?.Command?.Id} ({failure?.Command?.UserId})");
        Assert.Equal((Id, "alice"), (failure?.Command?.Id, failure?.Command?.UserId));
    }

    private static CommandBindingFailure? Explain<T>(string message, string idProperty)
        where T : class =>
        CommandBinding.Explain<T>(Encoding.UTF8.GetBytes($$"""{"messageId":"{{Guid.NewGuid()}}","messageType":["urn:message:x"],"message":{{message}}}"""),
            idProperty, SystemTextJsonMessageSerializer.Options);
}
