using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>Defect 6 of the lifecycle issue: a standalone MarginCheck is answered exactly once, whatever happens to its what-if.</summary>
public sealed class When_a_standalone_margin_check_is_run
{
    private static readonly WhatIfFigures Figures = new("USD", new MarginFigure(0, 1, 1), new MarginFigure(0, 1, 1), new MarginFigure(9, 0, 9), 1, 100, null, null);

    private static MarginCheckRequest Kept() => StandaloneMarginCheck.Request(new MarginCheck
    {
        CheckId = Guid.NewGuid(),
        UserId = "alice",
        AccountId = "DU1234567",
        Conid = 265598,
        Side = OrderSide.Buy,
        Quantity = 10,
        OrderType = OrderType.Market,
    }, Lifecycle.Stamp(), new Uri("rabbitmq://localhost/reply"), Guid.NewGuid(), null);

    [Fact]
    public void Should_answer_once_even_when_a_late_claim_answers_again()
    {
        var request = Kept();
        var first = Guid.NewGuid();
        StandaloneMarginCheck.Claim(request, first, Lifecycle.Stamp().At, Lifecycle.Settings);
        var second = Guid.NewGuid();
        StandaloneMarginCheck.Claim(request, second, Lifecycle.Stamp().At, Lifecycle.Settings);

        var answer = StandaloneMarginCheck.Answered(request, second, Figures, Lifecycle.Stamp());
        var late = StandaloneMarginCheck.Answered(request, first, Figures, Lifecycle.Stamp());

        Assert.IsType<MarginCheckCompleted>(Assert.Single(answer!.Events).Event);
        Assert.NotNull(answer.Response);
        Assert.Null(late);
    }

    [Fact]
    public void Should_answer_with_a_rejection_when_the_what_if_cannot_be_run_in_the_last_attempt()
    {
        var request = Kept();
        OrderDecision? answer = null;
        for (var attempt = 1; attempt <= Lifecycle.Settings.MaxSubmitAttempts; attempt++)
        {
            var token = Guid.NewGuid();
            StandaloneMarginCheck.Claim(request, token, Lifecycle.Stamp().At, Lifecycle.Settings);
            answer = StandaloneMarginCheck.Failed(request, token, Lifecycle.Transient("IBKR unreachable"), Lifecycle.Stamp(), Lifecycle.Settings);
            Assert.NotNull(answer);
        }

        var rejected = Assert.IsType<OrderRejected>(Assert.Single(answer!.Events).Event);
        Assert.Equal((RejectionReasonCode.BrokerRejected, nameof(MarginCheck)), (rejected.ReasonCode, rejected.Command));
        Assert.Contains("IBKR unreachable", rejected.Reason, StringComparison.Ordinal);
        Assert.NotNull(request.AnsweredAt);
    }

    [Fact]
    public void Should_name_the_check_id_when_it_is_missing()
    {
        var violations = StandaloneMarginCheck.Validate(new MarginCheck { UserId = "alice", AccountId = "DU1", Conid = 1, Side = OrderSide.Buy, Quantity = 1, OrderType = OrderType.Market });
        Assert.Contains(violations, v => v.Field == "checkId");
    }
}
