using Microsoft.EntityFrameworkCore;
using OrderProcessor.Consumers;
using OrderProcessor.Inbox;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Persistence;

namespace OrderProcessor.IntegrationTests.Skeleton;

/// <summary>
/// A command's inbox row is inserted at the end of its save's first command (InboxInsertInterceptor), not as a
/// change-tracked entity: with the effect it records, or alone when the unit of work has nothing else to write (a
/// repeated order). Two deliveries of one message that both passed the inbox check: the second insert violates the key,
/// which reads as a conflict (the delivery is decided again and finds the row), and nothing of its effect commits.
/// </summary>
public sealed class When_a_command_is_recorded_in_the_inbox : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();

    public Task InitializeAsync() => _servers.InitializeAsync();

    public Task DisposeAsync() => _servers.DisposeAsync();

    private const string Consumer = "inbox-insert-test";

    private static string Hash(Guid messageId) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(messageId.ToByteArray()));

    private async Task<InboxMessage?> ReadAsync(Guid messageId)
    {
        await using var db = _servers.CreateDbContext();
        return await db.Inbox.AsNoTracking().SingleOrDefaultAsync(m => m.MessageId == messageId && m.Consumer == Consumer);
    }

    private async Task<bool> IsWrittenAsync(EarlyCancelEntry effect)
    {
        await using var db = _servers.CreateDbContext();
        return await db.EarlyCancels.AnyAsync(c => c.OrderId == effect.OrderId);
    }

    /// <summary>An effect EF saves (a cancel that arrived first), so the save sends a command of its own.</summary>
    private static EarlyCancelEntry Effect(DateTimeOffset at) => new() { OrderId = Guid.NewGuid(), UserId = "u-inbox", Reason = "test", ReceivedAt = at };

    /// <summary>Records the message, with an effect beside it when <paramref name="effect"/> is given, and commits.</summary>
    private async Task RecordAsync(Guid messageId, DateTimeOffset at, EarlyCancelEntry? effect)
    {
        await using var db = _servers.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        MessageInbox.Record(db, messageId, Consumer, Hash(messageId), at);
        if (effect is not null)
        {
            db.EarlyCancels.Add(effect);
        }

        await db.SaveChangesAsync();
        Assert.Null(db.TakeInboxRow());
        if (effect is not null)
        {
            // Sent by the interceptor with the effect's command, never tracked; alone, the save tracked it to send it.
            Assert.Empty(db.ChangeTracker.Entries<InboxMessage>());
        }

        await transaction.CommitAsync();
    }

    [Fact]
    public async Task Should_write_the_row_with_its_effect_and_alone()
    {
        var at = Outbox.ChainedOutboxRows.Now();
        foreach (var withEffect in new[] { true, false })
        {
            var messageId = Guid.NewGuid();
            var effect = withEffect ? Effect(at) : null;
            await RecordAsync(messageId, at, effect);
            var row = await ReadAsync(messageId);
            Assert.NotNull(row);
            Assert.Equal(Hash(messageId), row.ContentHash);
            Assert.Equal(at, row.ProcessedAt);
            Assert.Equal(withEffect, effect is not null && await IsWrittenAsync(effect));
        }
    }

    [Fact]
    public async Task Should_read_a_second_insert_of_one_message_as_a_conflict_and_commit_nothing_of_it()
    {
        var messageId = Guid.NewGuid();
        var at = Outbox.ChainedOutboxRows.Now();
        await RecordAsync(messageId, at, Effect(at));

        var lateEffect = Effect(at);
        await using (var db = _servers.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            MessageInbox.Record(db, messageId, Consumer, Hash(messageId), at);
            db.EarlyCancels.Add(lateEffect);
            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());
            Assert.True(DatabaseRetry.IsConflict(thrown), $"a second inbox row must read as a conflict: {thrown.GetType().Name}: {thrown.Message}");
        }

        Assert.False(await IsWrittenAsync(lateEffect), "nothing of the second delivery's effect commits");
    }

    [Fact]
    public void Should_refuse_a_second_row_armed_for_one_save()
    {
        using var db = _servers.CreateDbContext();
        MessageInbox.Record(db, Guid.NewGuid(), Consumer, "hash", DateTimeOffset.UtcNow);
        Assert.Throws<InvalidOperationException>(() => MessageInbox.Record(db, Guid.NewGuid(), Consumer, "hash", DateTimeOffset.UtcNow));
    }
}
