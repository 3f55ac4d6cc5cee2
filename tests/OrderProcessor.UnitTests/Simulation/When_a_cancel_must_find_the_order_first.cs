using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Checks;
using OrderProcessor.LifecycleSimulation.Ibkr;
using OrderProcessor.LifecycleSimulation.Schedule;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Simulation;

/// <summary>
/// Defect 3 of the lifecycle issue: a cancel of an order whose IBKR order id was not known (placed by an answer that was
/// lost and then "already registered") threw inside the worker and was recorded as sent. The real CancelWork, against
/// the IBKR model, on the simulation's clock.
/// </summary>
public sealed class When_a_cancel_must_find_the_order_first
{
    [Fact]
    public void Should_look_the_order_up_by_cOID_send_the_cancel_and_follow_it_to_cancelled()
    {
        var spec = new OrderSpec(0, OrderShape.Limit, TimeInForce.GoodTillCancelled, MarginCheckPolicy.None, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var world = new SimWorld([spec], ScheduleRun.Options(), new IbkrRulesOfTheModel { FirstLiveOrdersCallEmpty = false, MaxListingLag = TimeSpan.Zero });
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(world.Continuations);
        try
        {
            var order = OrderAt(world, spec);

            world.Run(new Claim(0, 10));
            world.Run(new Resolve(0, CallMode.Answer, 50)); // the live orders: the order's IBKR id
            world.Run(new Resolve(0, CallMode.Answer, 50)); // the DELETE

            var atIbkr = Assert.Single(world.Model.Ledger);
            var saga = world.Db.Read(order.OrderId)!;
            Assert.True(atIbkr.CancelRequested);
            Assert.Equal((atIbkr.BrokerOrderId, OrderStatus.PendingCancel, OrderWork.Cancel), (saga.BrokerOrderId, saga.Status, saga.WorkDue));
            Assert.Empty(world.Faults);

            world.Run(new Tick(0));
            world.Run(new Poll(0));
            world.Run(new Resolve(0, CallMode.Answer, 50));
            Assert.Equal(OrderStatus.Cancelled, world.Db.Read(order.OrderId)!.Status);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    /// <summary>The order as an answer that was lost left it: at IBKR, Submitted without IBKR's order id, a cancel due.</summary>
    private static OrderSaga OrderAt(SimWorld world, OrderSpec spec)
    {
        var placed = OrderPlacement.Place(spec.Command(), "fp", new Dictionary<Guid, OrderSaga>(), EventStamp.Create(world.Clock.Now, Guid.NewGuid(), Guid.NewGuid()));
        var order = Assert.Single(placed.Created);
        (order.Status, order.CancelRequested, order.CancelReason) = (OrderStatus.PendingCancel, true, "client asked");
        (order.WorkDue, order.WorkDueAt, order.FirstSentAt) = (OrderWork.Cancel, world.Clock.Now, world.Clock.Now);
        Assert.True(world.Db.Commit([], placed, world.Clock.Now));

        var ticket = OrderProcessor.Execution.TicketMapper.For(order);
        world.Model.Variant = 50; // no question, no refusal
        var result = world.Model.Place(spec.UserId, IbkrModel.AccountOf(spec.UserId), [ticket]);
        Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
        return order;
    }
}
