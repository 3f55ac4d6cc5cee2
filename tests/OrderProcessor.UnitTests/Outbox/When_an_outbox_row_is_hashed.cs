using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.UnitTests.Outbox;

public sealed class When_an_outbox_row_is_hashed
{
    private static OutboxMessage Row() => new()
    {
        Sequence = 7,
        MessageId = Guid.Parse("0191f3c2-0000-7000-8000-000000000001"),
        OrderId = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"),
        OrderSequence = 2,
        MessageType = "OrderAccepted",
        Body = "{\"orderId\":\"6f9619ff-8b86-d011-b42d-00cf4fc964ff\",\"sequence\":2}",
        CorrelationId = Guid.Parse("11111111-1111-1111-1111-111111111111"),
        CausationId = Guid.Parse("22222222-2222-2222-2222-222222222222"),
        CreatedAt = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero),
        PreviousHash = new string('a', 64),
    };

    /// <summary>The worked example of docs/audit.md: an auditor's implementation must give this hash for that row.</summary>
    [Fact]
    public void Should_give_the_hash_of_the_documented_example()
    {
        Assert.Equal(639311040000000000L, Row().CreatedAt.UtcTicks);
        Assert.Equal("04276044fd97bd235d90234daf0f293f6bbea40a408b7fd2216bb7577c441952", OutboxHash.Compute(Row()));
    }

    [Fact]
    public void Should_be_a_stable_sha256_hex_string() =>
        Assert.Equal(OutboxHash.Compute(Row()), OutboxHash.Compute(Row()));

    public static TheoryData<string, Action<OutboxMessage>> Changes => new()
    {
        { "body", r => r.Body = r.Body.Replace("2}", "3}", StringComparison.Ordinal) },
        { "previous hash", r => r.PreviousHash = new string('b', 64) },
        { "message id", r => r.MessageId = Guid.NewGuid() },
        { "order id", r => r.OrderId = Guid.NewGuid() },
        { "order sequence", r => r.OrderSequence = 3 },
        { "message type", r => r.MessageType = "OrderRejected" },
        { "created at", r => r.CreatedAt = r.CreatedAt.AddTicks(10) },
        { "correlation id", r => r.CorrelationId = Guid.NewGuid() },
        { "causation id", r => r.CausationId = Guid.NewGuid() },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Should_change_when_any_covered_column_changes(string column, Action<OutboxMessage> change)
    {
        var row = Row();
        change(row);
        Assert.True(OutboxHash.Compute(Row()) != OutboxHash.Compute(row), $"changing the {column} left the hash unchanged");
    }

    [Fact]
    public void Should_ignore_the_delivery_bookkeeping_columns()
    {
        var row = Row();
        (row.PublishedAt, row.Attempts, row.LastError, row.Sequence) = (DateTimeOffset.UnixEpoch, 3, "boom", 99);
        Assert.Equal(OutboxHash.Compute(Row()), OutboxHash.Compute(row));
    }
}
