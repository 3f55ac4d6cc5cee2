using OrderProcessor.Audit;

namespace OrderProcessor.UnitTests.Audit;

public sealed class When_a_replay_is_asked_for
{
    private static readonly DateTimeOffset Eight = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, OutboxSelection, string?> Selections => new()
    {
        { "nothing", new OutboxSelection(), "name what to select" },
        { "an empty time range", new OutboxSelection { Since = Eight, Until = Eight }, "the time range is empty" },
        { "a backwards sequence range", new OutboxSelection { FromSequence = 10, ToSequence = 9 }, "the sequence range is empty" },
        { "a negative sequence", new OutboxSelection { FromSequence = -1 }, "outbox sequences are positive" },
        { "an order", new OutboxSelection { OrderId = Guid.NewGuid() }, null },
        { "a user and a time range", new OutboxSelection { UserId = "alice", Since = Eight, Until = Eight.AddHours(1) }, null },
        { "an open-ended sequence range", new OutboxSelection { FromSequence = 5 }, null },
    };

    [Theory]
    [MemberData(nameof(Selections))]
    public void Should_refuse_only_selections_that_cannot_select_anything(string scenario, OutboxSelection selection, string? problem)
    {
        var found = selection.Problem();
        if (problem is null)
        {
            Assert.True(found is null, $"{scenario}: {found}");
        }
        else
        {
            Assert.True(found?.StartsWith(problem, StringComparison.Ordinal) == true, $"{scenario}: {found}");
        }
    }

    [Theory]
    [InlineData("orderprocessor.audit", true)]
    [InlineData("audit:team-a_1", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("slash/name", false)]
    public void Should_accept_only_rabbitmq_exchange_names(string name, bool valid)
    {
        Assert.Equal(valid, OutboxReplayer.IsValidExchangeName(name));
        if (valid)
        {
            Assert.Equal($"exchange:{name}?type=fanout", OutboxReplayer.ExchangeAddress(name).ToString());
        }
        else
        {
            Assert.Throws<ArgumentException>(() => OutboxReplayer.ExchangeAddress(name));
        }
    }
}
