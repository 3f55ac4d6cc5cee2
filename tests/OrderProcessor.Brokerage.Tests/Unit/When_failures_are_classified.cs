using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Http;
using OrderProcessor.Brokerage.Ibkr;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_failures_are_classified
{
    [Fact]
    public void Should_call_a_failure_before_sending_transient_even_for_an_order()
    {
        var trace = CallTrace.Begin();

        var failure = FailureClassifier.FromException(new HttpRequestException("down"), IbkrEndpointCatalog.PlaceOrder, "u1", trace, ["c1"], CancellationToken.None);

        Assert.Equal(BrokerageFailureKind.TransientBeforeSend, Assert.IsType<BrokerageException>(failure).Kind);
    }

    [Fact]
    public void Should_call_a_refused_connection_transient_even_after_the_send_started()
    {
        var trace = CallTrace.Begin();
        trace.MarkSent();

        var failure = FailureClassifier.FromException(
            new HttpRequestException(HttpRequestError.ConnectionError, "refused"), IbkrEndpointCatalog.PlaceOrder, "u1", trace, ["c1"], CancellationToken.None);

        Assert.Equal(BrokerageFailureKind.TransientBeforeSend, Assert.IsType<BrokerageException>(failure).Kind);
    }

    [Theory]
    [InlineData(HttpRequestError.ResponseEnded)]
    [InlineData(HttpRequestError.Unknown)]
    public void Should_call_a_lost_answer_to_an_order_ambiguous(HttpRequestError error)
    {
        var trace = CallTrace.Begin();
        trace.MarkSent();

        var failure = FailureClassifier.FromException(
            new HttpRequestException(error, "gone"), IbkrEndpointCatalog.PlaceOrder, "u1", trace, ["c1"], CancellationToken.None);

        var ambiguous = Assert.IsType<AmbiguousOrderOutcomeException>(failure);
        Assert.Equal(["c1"], ambiguous.ClientOrderIds);
    }

    [Fact]
    public void Should_call_a_lost_answer_to_a_read_transient()
    {
        var trace = CallTrace.Begin();
        trace.MarkSent();

        var failure = FailureClassifier.FromException(
            new TaskCanceledException("timeout"), IbkrEndpointCatalog.LiveOrders, "u1", trace, null, CancellationToken.None);

        Assert.Equal(BrokerageFailureKind.TransientBeforeSend, Assert.IsType<BrokerageException>(failure).Kind);
    }

    [Fact]
    public void Should_call_an_order_cancelled_by_the_caller_after_sending_ambiguous()
    {
        var trace = CallTrace.Begin();
        trace.MarkSent();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var failure = FailureClassifier.FromException(
            new OperationCanceledException(cancelled.Token), IbkrEndpointCatalog.Reply, "u1", trace, ["c1"], cancelled.Token);

        Assert.IsType<AmbiguousOrderOutcomeException>(failure);
    }

    [Theory]
    [InlineData("POST", "http://h/v1/api/iserver/account/DU1/orders", "place-order", false)]
    [InlineData("POST", "http://h/v1/api/iserver/account/DU1/orders/whatif", "what-if", true)]
    [InlineData("GET", "http://h/v1/api/iserver/account/orders?force=true", "live-orders", true)]
    [InlineData("POST", "http://h/v1/api/iserver/reply/abc-1", "reply", false)]
    [InlineData("DELETE", "http://h/v1/api/iserver/account/DU1/order/12", "cancel-order", false)]
    [InlineData("POST", "http://h/v1/api/iserver/account/DU1/order/12", "modify-order", false)]
    [InlineData("GET", "http://h/v1/api/iserver/account/order/status/12", "order-status", true)]
    [InlineData("POST", "http://h/v1/api/tickle", "tickle", true)]
    [InlineData("POST", "http://h/v1/api/iserver/auth/ssodh/init", "session-init", true)]
    public void Should_know_which_endpoints_are_safe_to_repeat(string method, string url, string name, bool repeatable)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);

        var endpoint = IbkrEndpointCatalog.Identify(request);

        Assert.Equal(name, endpoint.Name);
        Assert.Equal(repeatable, endpoint.Repeatable);
    }

    [Fact]
    public void Should_treat_unknown_requests_as_not_repeatable()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://h/v1/api/iserver/something/new");

        Assert.False(IbkrEndpointCatalog.Identify(request).Repeatable);
    }
}
