using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_a_place_order_is_decided
{
    private static readonly EventStamp Stamp = EventStamp.Create(
        new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero).AddTicks(7), Guid.NewGuid(), Guid.NewGuid());

    private static readonly Dictionary<Guid, OrderSaga> NoOrders = [];

    [Fact]
    public void Should_accept_a_valid_order_with_sequence_one_in_state_received()
    {
        var command = When_a_place_order_is_validated.Valid();
        var decision = OrderPlacement.Place(command, "fp", NoOrders, Stamp);

        var order = Assert.Single(decision.Created);
        Assert.Equal((OrderStatus.Received, ClientOrderId.For(command.OrderId), 1L), (order.Status, order.ClientOrderId, order.LastEventSequence));
        var (owner, orderEvent) = Assert.Single(decision.Events);
        Assert.Same(order, owner);
        var accepted = Assert.IsType<OrderAccepted>(orderEvent);
        Assert.Equal((1L, Stamp.At, Stamp.CausationId), (accepted.Sequence, accepted.OccurredAt, accepted.CausationId));
    }

    [Fact]
    public void Should_truncate_the_time_to_microseconds_so_the_stored_row_hashes_the_same() =>
        Assert.Equal(0, Stamp.At.UtcTicks % TimeSpan.TicksPerMicrosecond);

    [Fact]
    public void Should_do_nothing_for_a_repeat_of_the_same_command()
    {
        var command = When_a_place_order_is_validated.Valid();
        var first = Assert.Single(OrderPlacement.Place(command, "fp", NoOrders, Stamp).Created);

        var repeat = OrderPlacement.Place(command, "fp", new Dictionary<Guid, OrderSaga> { [command.OrderId] = first }, Stamp);

        Assert.True(repeat.IsEmpty);
        Assert.Equal(1, first.LastEventSequence);
    }

    [Fact]
    public void Should_reject_different_content_under_an_existing_id_without_touching_the_order()
    {
        var command = When_a_place_order_is_validated.Valid();
        var first = Assert.Single(OrderPlacement.Place(command, "fp-1", NoOrders, Stamp).Created);

        var conflict = OrderPlacement.Place(command with { Quantity = 99 }, "fp-2",
            new Dictionary<Guid, OrderSaga> { [command.OrderId] = first }, Stamp);

        Assert.Empty(conflict.Created);
        var rejected = Assert.IsType<OrderRejected>(Assert.Single(conflict.Events).Event);
        Assert.Equal((RejectionReasonCode.ConflictingDuplicate, 2L), (rejected.ReasonCode, rejected.Sequence));
        Assert.Equal((OrderStatus.Received, 10m), (first.Status, first.Quantity!.Value));
    }

    [Fact]
    public void Should_record_an_invalid_order_as_rejected_with_its_violations()
    {
        var command = When_a_place_order_is_validated.Valid() with { Quantity = 0 };
        var decision = OrderPlacement.Place(command, "fp", NoOrders, Stamp);

        var order = Assert.Single(decision.Created);
        Assert.Equal(OrderStatus.Rejected, order.Status);
        var rejected = Assert.IsType<OrderRejected>(Assert.Single(decision.Events).Event);
        Assert.Equal("quantity", Assert.Single(rejected.Violations).Field);
        Assert.Equal(order.LastReason, rejected.Reason);
    }

    [Fact]
    public void Should_reject_a_command_without_an_order_id_outside_any_order_chain()
    {
        var decision = OrderPlacement.Place(When_a_place_order_is_validated.Valid() with { OrderId = Guid.Empty }, "fp", NoOrders, Stamp);

        Assert.Empty(decision.Created);
        var (owner, orderEvent) = Assert.Single(decision.Events);
        Assert.Null(owner);
        Assert.Equal(0, orderEvent.Sequence);
    }

    [Fact]
    public void Should_create_a_bracket_as_three_linked_orders_with_opposite_legs()
    {
        var command = When_a_place_order_is_validated.Valid() with
        {
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 95 },
            TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 110 },
        };

        var decision = OrderPlacement.Place(command, "fp", NoOrders, Stamp);

        Assert.Equal(3, decision.Created.Count);
        var legs = decision.Created.Where(o => o.ParentOrderId == command.OrderId).ToList();
        Assert.Equal(2, legs.Count);
        Assert.All(legs, l => Assert.Equal(OrderSide.Sell, l.Side));
        Assert.Contains(legs, l => l.OrderType == OrderType.Stop && l.StopPrice == 95);
        Assert.Contains(legs, l => l.OrderType == OrderType.Limit && l.LimitPrice == 110);
        Assert.All(decision.Events, e => Assert.Equal(1, e.Event.Sequence));
    }

    [Fact]
    public void Should_create_every_member_of_an_oca_group_in_the_group()
    {
        var other = new OrderLeg { OrderId = Guid.NewGuid(), Conid = 8314, Side = OrderSide.Buy, Quantity = 3, OrderType = OrderType.Limit, LimitPrice = 50 };
        var command = When_a_place_order_is_validated.Valid() with { OcaGroup = new OcaGroup { Name = "pair-1", Orders = [other] } };

        var decision = OrderPlacement.Place(command, "fp", NoOrders, Stamp);

        Assert.Equal(2, decision.Created.Count);
        Assert.All(decision.Created, o => Assert.Equal("pair-1", o.OcaGroup));
        Assert.All(decision.Events, e => Assert.Equal("pair-1", Assert.IsType<OrderAccepted>(e.Event).OcaGroup));
        Assert.Equal(8314, decision.Created.Single(o => o.OrderId == other.OrderId).Conid);
    }

    [Fact]
    public void Should_refuse_a_leg_id_that_already_belongs_to_another_order()
    {
        var existing = Assert.Single(OrderPlacement.Place(When_a_place_order_is_validated.Valid(), "fp", NoOrders, Stamp).Created);
        var command = When_a_place_order_is_validated.Valid() with { StopLoss = new AttachedOrder { OrderId = existing.OrderId, Price = 95 } };

        var decision = OrderPlacement.Place(command, "fp-2", new Dictionary<Guid, OrderSaga> { [existing.OrderId] = existing }, Stamp);

        var rejected = Assert.IsType<OrderRejected>(Assert.Single(decision.Events).Event);
        Assert.Contains(rejected.Violations, v => v.Field == "stopLoss.orderId" && v.Rule == "unused-id");
    }
}
