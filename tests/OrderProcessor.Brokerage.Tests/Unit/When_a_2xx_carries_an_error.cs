using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Ibkr.Json;
using OrderProcessor.Brokerage.Ibkr.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Unit;

/// <summary>IBKR answers many failures with HTTP 200 and {"error"}: what each such answer means, endpoint by endpoint.</summary>
public sealed class When_a_2xx_carries_an_error(ITestOutputHelper output)
{
    [Theory]
    [InlineData("accounts", "no bridge", "SessionLost")]
    [InlineData("place-order", "no bridge", "SessionLost")]
    [InlineData("reply", "not authenticated", "SessionLost")]
    [InlineData("modify-order", "Init session first", "SessionLost")]
    [InlineData("cancel-order", "no bridge", "SessionLost")]
    [InlineData("order-status", "no bridge", "SessionLost")]
    [InlineData("what-if", "no bridge", "SessionLost")]
    [InlineData("live-orders", "Please query /accounts first", "AccountsNotQueried")]
    [InlineData("place-order", "Please query /accounts first", "AccountsNotQueried")]
    [InlineData("accounts", "internal error", "ErrorAnswer")]
    [InlineData("live-orders", "internal error", "ErrorAnswer")]
    [InlineData("suppress-questions", "internal error", "ErrorAnswer")]
    [InlineData("place-order", "Order price exceeds the band", "Ok")]
    [InlineData("cancel-order", "OrderID 1 doesn't exist", "Ok")]
    [InlineData("what-if", "insufficient equity", "Ok")]
    public void Should_read_the_error_text_by_what_the_endpoint_answers(string endpoint, string text, string signal)
    {
        var at = IbkrEndpointCatalog.All.Single(e => e.Name == endpoint);

        var read = ErrorAnswers.SignalOf2xx(at, text);

        output.WriteLine($"200 {{\"error\":\"{text}\"}} on {endpoint}: {read}");
        Assert.Equal(Enum.Parse<ResponseSignal>(signal), read);
    }

    [Theory]
    [InlineData("""{"status":"queued"}""")]
    [InlineData("""{"id":"abc"}""")]
    [InlineData("\"ok\"")]
    public void Should_keep_an_unrecognised_placement_answer_apart_from_a_refusal(string body)
    {
        var answer = System.Text.Json.JsonSerializer.Deserialize<OrderSubmissionAnswer>(body, IbkrJson.Options)!;

        output.WriteLine($"{body}: error {answer.Error ?? "(none)"}, unrecognised {answer.Unrecognised}");
        Assert.Null(answer.Error);
        Assert.Equal(body, answer.Unrecognised);
    }
}
