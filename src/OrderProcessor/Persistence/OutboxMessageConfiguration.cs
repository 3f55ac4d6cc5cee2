using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderProcessor.Persistence;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    /// <summary>The trigger that adds each new event to <c>outbox_pending</c> (created by the migration that split the table).</summary>
    public const string PendingTrigger = "outbox_messages_pending";

    public void Configure(EntityTypeBuilder<OutboxMessage> outbox)
    {
        outbox.ToTable("outbox_messages", table => table.HasTrigger(PendingTrigger));
        outbox.HasKey(o => o.Sequence);
        outbox.Property(o => o.Sequence).UseIdentityByDefaultColumn();
        outbox.HasIndex(o => o.MessageId).IsUnique();
        outbox.HasIndex(o => new { o.OrderId, o.OrderSequence })
            .IsUnique()
            .HasFilter("order_sequence > 0");
        outbox.HasIndex(o => o.CreatedAt);
        outbox.Property(o => o.MessageType).HasMaxLength(64);
        outbox.Property(o => o.Body).HasColumnType("json");
        outbox.Property(o => o.PreviousHash).HasMaxLength(64);
        outbox.Property(o => o.ResponseAddress).HasMaxLength(512);
        outbox.Property(o => o.TraceParent).HasMaxLength(128);
        outbox.Property(o => o.Hash).HasMaxLength(64);

        // One-to-one by the sequence. The migration drops the foreign keys EF declares for these: checking one would lock
        // the event row (FOR KEY SHARE) on every insert into either table, rewriting the page this split keeps untouched.
        // The trigger and the relay's one statement keep the two tables true to the events instead.
        outbox.HasOne(o => o.Pending).WithOne().HasForeignKey<OutboxPending>(p => p.Sequence);
        outbox.HasOne(o => o.Published).WithOne().HasForeignKey<OutboxPublished>(p => p.Sequence);
    }
}
