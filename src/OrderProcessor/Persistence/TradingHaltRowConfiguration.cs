using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderProcessor.Persistence;

internal sealed class TradingHaltRowConfiguration : IEntityTypeConfiguration<TradingHaltRow>
{
    public void Configure(EntityTypeBuilder<TradingHaltRow> halt)
    {
        halt.ToTable("trading_halts");
        halt.HasKey(h => h.HaltId);
        halt.Property(h => h.Scope).HasMaxLength(16);
        halt.Property(h => h.ScopeKey).HasMaxLength(128);
        halt.Property(h => h.Reason).HasMaxLength(1000);
        halt.Property(h => h.HaltedBy).HasMaxLength(128);
        halt.Property(h => h.ResumedBy).HasMaxLength(128);
        halt.Property(h => h.ResumeReason).HasMaxLength(1000);

        // At most one active halt per scope: halting a halted scope answers with the existing halt.
        halt.HasIndex(h => new { h.Scope, h.ScopeKey })
            .IsUnique()
            .HasDatabaseName("ux_trading_halts_active")
            .HasFilter("resumed_at IS NULL");
    }
}
