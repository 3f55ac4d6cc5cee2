using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderProcessor.Persistence;

internal sealed class OutboxPendingConfiguration : IEntityTypeConfiguration<OutboxPending>
{
    public void Configure(EntityTypeBuilder<OutboxPending> pending)
    {
        pending.ToTable("outbox_pending");
        pending.HasKey(p => p.Sequence);
        pending.Property(p => p.Sequence).ValueGeneratedNever();

        // The relay's "is an earlier event of this order still unpublished?".
        pending.HasIndex(p => new { p.OrderId, p.Sequence });

        // The few parked rows, for the health check, the gauge and `orders outbox parked`.
        pending.HasIndex(p => p.Sequence, "ix_outbox_pending_parked").HasDatabaseName("ix_outbox_pending_parked").HasFilter("parked_at IS NOT NULL");
        pending.Property(p => p.LastError).HasMaxLength(2000);
        pending.Property(p => p.ParkReason).HasMaxLength(1000);
    }
}
