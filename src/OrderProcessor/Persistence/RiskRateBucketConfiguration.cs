using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderProcessor.Persistence;

internal sealed class RiskRateBucketConfiguration : IEntityTypeConfiguration<RiskRateBucket>
{
    public void Configure(EntityTypeBuilder<RiskRateBucket> bucket)
    {
        bucket.ToTable("risk_rate_buckets");
        bucket.HasKey(b => new { b.Scope, b.ScopeKey, b.Period });
        bucket.Property(b => b.Scope).HasMaxLength(16);
        bucket.Property(b => b.ScopeKey).HasMaxLength(128);
        bucket.Property(b => b.Period).HasMaxLength(16);
    }
}
