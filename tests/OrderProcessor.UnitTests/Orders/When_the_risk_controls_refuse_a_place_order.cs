using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>A refused risk verdict creates the order Rejected with the verdict's code and reason, nothing ever due.</summary>
public sealed class When_the_risk_controls_refuse_a_place_order(ITestOutputHelper output)
{
    private static readonly EventStamp Stamp = EventStamp.Create(DateTimeOffset.Parse("2026-11-30T20:00:00Z", System.Globalization.CultureInfo.InvariantCulture), Guid.NewGuid(), Guid.NewGuid());

    [Fact]
    public void Should_create_the_order_rejected_with_the_code_and_send_nothing()
    {
        var command = When_a_place_order_is_validated.Valid();
        var verdict = new RiskVerdict(RejectionReasonCode.MaxQuantityExceeded, "quantity 25000 exceeds the maximum of 10000 per order (account DU1)", null, null, false);

        var decision = OrderPlacement.Place(command, "fp", new Dictionary<Guid, OrderSaga>(), Stamp, risk: verdict);

        var order = Assert.Single(decision.Created);
        var rejected = Assert.IsType<OrderRejected>(Assert.Single(decision.Events).Event);
        output.WriteLine($"{order.Status} {order.WorkDue}: {rejected.ReasonCode} \"{rejected.Reason}\" (sequence {rejected.Sequence})");
        Assert.Equal((OrderStatus.Rejected, OrderWork.None), (order.Status, order.WorkDue));
        Assert.Equal((RejectionReasonCode.MaxQuantityExceeded, verdict.Reason, nameof(PlaceOrder), 1L), (rejected.ReasonCode, rejected.Reason, rejected.Command, rejected.Sequence));
    }

    [Fact]
    public void Should_accept_the_order_as_before_when_the_verdict_passes()
    {
        var command = When_a_place_order_is_validated.Valid();

        var passed = OrderPlacement.Place(command, "fp", new Dictionary<Guid, OrderSaga>(), Stamp, risk: RiskVerdict.Pass);

        var order = Assert.Single(passed.Created);
        output.WriteLine($"{order.Status} {order.WorkDue}");
        Assert.Equal((OrderStatus.Received, OrderWork.Submit), (order.Status, order.WorkDue));
    }
}
