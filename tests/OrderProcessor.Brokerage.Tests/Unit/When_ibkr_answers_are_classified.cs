using System.Net;
using System.Text;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Ibkr;
using Refit;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_ibkr_answers_are_classified
{
    [Theory]
    [InlineData(401, """{"type":"/simple","title":"Unauthorized","status":401,"detail":"not authenticated"}""", "SessionLost")]
    [InlineData(400, """{"error":"no bridge","statusCode":400}""", "SessionLost")]
    [InlineData(400, """{"error":"Init session first"}""", "SessionLost")]
    [InlineData(500, """{"error":"Please query /accounts first"}""", "AccountsNotQueried")]
    [InlineData(400, """{"error":"Bad Request: Please query /accounts first","statusCode":400}""", "AccountsNotQueried")]
    [InlineData(429, """{"error":"Too many requests","statusCode":429}""", "Paced")]
    [InlineData(503, """{"error":"Service Unavailable"}""", "ServerError")]
    [InlineData(499, "", "ServerError")]
    [InlineData(408, "", "ServerError")]
    [InlineData(400, """{"error":"Bad Request: accountId is not valid: X","statusCode":400}""", "ClientError")]
    public async Task Should_read_the_signal_of_the_answer(int status, string body, string signal)
    {
        using var response = await AnswerAsync(status, body);

        Assert.Equal(Enum.Parse<ResponseSignal>(signal), FailureClassifier.Inspect(response));
    }

    [Fact]
    public async Task Should_call_a_server_error_on_placing_ambiguous_and_on_a_read_transient()
    {
        using var response = await AnswerAsync(503, """{"error":"Service Unavailable"}""");

        var placing = FailureClassifier.FromSignal(ResponseSignal.ServerError, response, IbkrEndpointCatalog.PlaceOrder, "u1", ["c1"]);
        var reading = FailureClassifier.FromSignal(ResponseSignal.ServerError, response, IbkrEndpointCatalog.LiveOrders, "u1", null);

        Assert.Equal(["c1"], Assert.IsType<AmbiguousOrderOutcomeException>(placing).ClientOrderIds);
        Assert.Null(placing.InnerException);
        Assert.Equal(BrokerageFailureKind.TransientBeforeSend, reading.Kind);
    }

    [Fact]
    public async Task Should_call_a_stale_reply_safe_to_repeat_and_keep_ibkrs_text()
    {
        using var response = await AnswerAsync(400, """{"error":"reply id not found: '99097238'"}""");

        var failure = FailureClassifier.FromSignal(ResponseSignal.ClientError, response, IbkrEndpointCatalog.Reply, "u1", ["c1"]);

        Assert.Equal(BrokerageFailureKind.TransientBeforeSend, failure.Kind);
        Assert.Equal("reply id not found: '99097238'", failure.BrokerText);
    }

    [Fact]
    public async Task Should_call_another_client_error_a_rejection_with_ibkrs_text()
    {
        using var response = await AnswerAsync(400, """{"error":"Bad Request: accountId is not valid: X","statusCode":400}""");

        var failure = FailureClassifier.FromSignal(ResponseSignal.ClientError, response, IbkrEndpointCatalog.PlaceOrder, "u1", ["c1"]);

        Assert.Equal(BrokerageFailureKind.Rejected, failure.Kind);
        Assert.Equal("Bad Request: accountId is not valid: X", failure.BrokerText);
    }

    private static async Task<IApiResponse<object>> AnswerAsync(int status, string body)
    {
        var settings = new RefitSettings();
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://ibkr/v1/api/iserver/account/DU1/orders");
        var message = new HttpResponseMessage((HttpStatusCode)status)
        {
            RequestMessage = request,
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var error = await ApiException.Create(request, HttpMethod.Post, message, settings);
        return new ApiResponse<object>(message, null, settings, error);
    }
}
