using System.Text.Json;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Outbox;

/// <summary>Which outbox rows the relay parks (never publishable as they are) and which it retries with backoff.</summary>
public sealed class When_an_outbox_row_is_classified_for_parking(ITestOutputHelper output)
{
    private const int MaxBodyBytes = 4096;

    private static OutboxMessage Row(string? body = null, string type = nameof(OrderAccepted))
    {
        var orderId = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
        return new OutboxMessage
        {
            Sequence = 42,
            OrderId = orderId,
            OrderSequence = 1,
            MessageType = type,
            Body = body ?? JsonSerializer.Serialize(new OrderAccepted { OrderId = orderId, Sequence = 1, UserId = "alice" }, ContractJson.Options),
        };
    }

    private static OperationInterruptedException Refusal(ushort code, string text) =>
        new(new ShutdownEventArgs(ShutdownInitiator.Peer, code, text));

    [Fact]
    public void Should_read_a_known_event_within_the_size_limit_and_not_park_it()
    {
        var decision = OutboxParking.TryRead(Row(), MaxBodyBytes, out var message, out var type);

        Assert.Null(decision);
        Assert.Equal(typeof(OrderAccepted), type);
        Assert.Equal("alice", Assert.IsType<OrderAccepted>(message).UserId);
    }

    public static TheoryData<string, string, string, OutboxParkCause> Unpublishable => new()
    {
        { "unknown type after a rollback", "OrderTeleported", """{"orderId":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""", OutboxParkCause.UnknownType },
        { "body over the limit", nameof(OrderAccepted), "{\"userId\":\"" + new string('x', MaxBodyBytes) + "\"}", OutboxParkCause.TooLarge },
        { "multi-byte body over the limit in UTF-8", nameof(OrderAccepted), "{\"userId\":\"" + new string('é', MaxBodyBytes / 2) + "\"}", OutboxParkCause.TooLarge },
        { "body of the wrong shape", nameof(OrderAccepted), """{"sequence":"not a number"}""", OutboxParkCause.Unreadable },
        { "body that is not JSON", nameof(OrderAccepted), "<xml/>", OutboxParkCause.Unreadable },
        { "JSON null", nameof(OrderAccepted), "null", OutboxParkCause.Unreadable },
    };

    [Theory]
    [MemberData(nameof(Unpublishable))]
    public void Should_park_a_row_that_cannot_be_published_as_it_is(string what, string type, string body, OutboxParkCause expected)
    {
        var decision = OutboxParking.TryRead(Row(body, type), MaxBodyBytes, out var message, out _);

        output.WriteLine($"{what}: {decision?.Text}");
        Assert.Equal(expected, decision?.Cause);
        Assert.Null(message);
    }

    [Fact]
    public void Should_name_the_type_and_the_size_in_the_reason()
    {
        Assert.Contains("'OrderTeleported'", OutboxParking.TryRead(Row("{}", "OrderTeleported"), MaxBodyBytes, out _, out _)!.Reason, StringComparison.Ordinal);
        var tooLarge = OutboxParking.TryRead(Row("{\"userId\":\"" + new string('x', 5000) + "\"}"), MaxBodyBytes, out _, out _)!;
        Assert.Contains("5013 bytes", tooLarge.Reason, StringComparison.Ordinal);
        Assert.Contains("Outbox:MaxBodyBytes (4096)", tooLarge.Reason, StringComparison.Ordinal);
        Assert.StartsWith("TooLarge: ", tooLarge.Text, StringComparison.Ordinal);
    }

    public static TheoryData<string, Exception> Refusals => new()
    {
        { "access refused to the exchange", Refusal(403, "ACCESS_REFUSED - access to exchange 'OrderProcessor.Contracts:OrderAccepted' in vhost '/' refused for user 'op'") },
        { "exchange declared with another type", Refusal(406, "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'OrderProcessor.Contracts:OrderAccepted'") },
        { "refusal wrapped by the transport", new InvalidOperationException("publish faulted", Refusal(403, "ACCESS_REFUSED - access to exchange 'OrderProcessor.Contracts:OrderAccepted' refused")) },
        { "refusal inside an aggregate", new AggregateException(new TimeoutException("other"), Refusal(406, "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'OrderProcessor.Contracts:OrderAccepted'")) },
        { "refusal known only by its text", new InvalidOperationException("The channel was closed: ACCESS_REFUSED - access to exchange 'OrderProcessor.Contracts:OrderAccepted' in vhost 'v' refused") },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Should_park_a_row_the_broker_refuses_for_good_while_it_takes_other_events(string what, Exception exception)
    {
        var decision = OutboxParking.AfterFailure(exception, nameof(OrderAccepted), brokerTakesMessages: true);

        output.WriteLine($"{what}: {decision?.Text}");
        Assert.Equal(OutboxParkCause.RefusedByBroker, decision?.Cause);
    }

    /// <summary>A refusal closes the channel: the other publishes under way on it fail with the same reason, naming another exchange.</summary>
    [Theory]
    [MemberData(nameof(Refusals))]
    public void Should_retry_a_row_that_failed_with_another_exchanges_refusal(string what, Exception exception)
    {
        output.WriteLine(what);
        Assert.Null(OutboxParking.AfterFailure(exception, nameof(OrderSubmitted), brokerTakesMessages: true));
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Should_not_park_on_a_refusal_while_the_broker_takes_nothing(string what, Exception exception)
    {
        output.WriteLine(what);
        Assert.Null(OutboxParking.AfterFailure(exception, nameof(OrderAccepted), brokerTakesMessages: false));
    }

    public static TheoryData<string, Exception> Transient => new()
    {
        { "confirm timeout", new TimeoutException("The operation has timed out.") },
        { "connection forced by a node restart", Refusal(320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'") },
        { "internal error", Refusal(541, "INTERNAL_ERROR") },
        { "cancelled publish", new OperationCanceledException() },
        { "nack", new InvalidOperationException("The message was not confirmed by RabbitMQ (nack)") },
        { "message over the broker's size limit (names no exchange: Outbox:MaxBodyBytes is the check)", Refusal(406, "PRECONDITION_FAILED - message size 20971520 is larger than configured max size 16777216") },
    };

    [Theory]
    [MemberData(nameof(Transient))]
    public void Should_retry_a_failure_that_passes(string what, Exception exception)
    {
        output.WriteLine(what);
        Assert.Null(OutboxParking.AfterFailure(exception, nameof(OrderAccepted), brokerTakesMessages: true));
    }

    [Theory]
    [InlineData(19, 20, true, false)]
    [InlineData(20, 20, true, true)]
    [InlineData(35, 20, true, true)]
    [InlineData(20, 20, false, false)]
    [InlineData(500, 20, false, false)]
    [InlineData(1, 1, true, true)]
    public void Should_park_after_the_configured_attempts_only_while_the_broker_takes_other_events(int attempts, int parkAfter, bool brokerTakesMessages, bool parked)
    {
        var decision = OutboxParking.AfterAttempts(attempts, parkAfter, brokerTakesMessages, "The operation has timed out.");

        output.WriteLine($"{attempts} of {parkAfter}, broker takes others: {brokerTakesMessages} -> {decision?.Text ?? "retry"}");
        Assert.Equal(parked, decision?.Cause == OutboxParkCause.TooManyAttempts);
    }
}
