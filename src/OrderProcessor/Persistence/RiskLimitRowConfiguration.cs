using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderProcessor.Persistence;

internal sealed class RiskLimitRowConfiguration : IEntityTypeConfiguration<RiskLimitRow>
{
    public void Configure(EntityTypeBuilder<RiskLimitRow> limit)
    {
        limit.ToTable("risk_limits");
        limit.HasKey(l => new { l.Scope, l.ScopeKey });
        limit.Property(l => l.Scope).HasMaxLength(16);
        limit.Property(l => l.ScopeKey).HasMaxLength(128);
        limit.Property(l => l.UpdatedBy).HasMaxLength(128);
    }
}
