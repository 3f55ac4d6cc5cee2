using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Execution;

/// <summary>
/// The copies of open orders the store keeps after a write (<see cref="WrittenOrderVersions"/>): handed out once, all or
/// none, only to the order's user, never shared with the caller's objects; final orders forgotten.
/// </summary>
public sealed class When_written_order_versions_are_kept
{
    [Fact]
    public void Should_hand_out_a_copy_once_and_only_when_every_order_named_is_kept_for_that_user()
    {
        var versions = new WrittenOrderVersions();
        var (a, b) = (Order("alice", version: 7), Order("alice", version: 9));
        versions.Remember([a, b]);

        Assert.Null(versions.TakeAll("bob", [a.ClientOrderId]));
        Assert.Null(versions.TakeAll("alice", [a.ClientOrderId, "op-not-kept"]));
        Assert.Equal(2, versions.Count);

        var taken = versions.TakeAll("alice", [a.ClientOrderId, b.ClientOrderId]);
        Assert.NotNull(taken);
        Assert.Equal([7u, 9u], taken.Select(o => o.Version));
        Assert.DoesNotContain(taken, o => ReferenceEquals(o, a) || ReferenceEquals(o, b));
        Assert.Null(versions.TakeAll("alice", [a.ClientOrderId]));
    }

    [Fact]
    public void Should_keep_what_the_order_was_when_remembered_and_forget_it_once_final()
    {
        var versions = new WrittenOrderVersions();
        var order = Order("alice", version: 3);
        versions.Remember([order]);
        order.FilledQuantity = 5;
        order.Version = 4;

        var kept = Assert.Single(versions.TakeAll("alice", [order.ClientOrderId])!);
        Assert.Equal((0m, 3u), (kept.FilledQuantity, kept.Version));

        versions.Remember([order]);
        order.Status = OrderStatus.Filled;
        versions.Remember([order]);
        Assert.Equal(0, versions.Count);
    }

    [Fact]
    public void Should_forget_a_tenth_when_full_rather_than_grow()
    {
        var versions = new WrittenOrderVersions(capacity: 100);
        var orders = Enumerable.Range(0, 100).Select(i => Order("alice", version: (uint)i)).ToList();
        versions.Remember(orders);
        Assert.Equal(100, versions.Count);

        // The same orders again replace their copies; one more order makes room first.
        versions.Remember(orders);
        Assert.Equal(100, versions.Count);
        var oneMore = Order("alice", version: 100);
        versions.Remember([oneMore]);
        Assert.Equal(91, versions.Count);
        Assert.Equal(91, orders.Append(oneMore).Count(o => versions.TakeAll("alice", [o.ClientOrderId]) is not null));
        Assert.Equal(0, versions.Count);
    }

    private static OrderSaga Order(string user, uint version)
    {
        var orderId = Guid.NewGuid();
        return new OrderSaga
        {
            OrderId = orderId,
            ClientOrderId = ClientOrderId.For(orderId),
            UserId = user,
            Status = OrderStatus.Working,
            Quantity = 10,
            Version = version,
        };
    }
}
