using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderProcessor.Persistence;

internal sealed class OutboxPublishedConfiguration : IEntityTypeConfiguration<OutboxPublished>
{
    public void Configure(EntityTypeBuilder<OutboxPublished> published)
    {
        published.ToTable("outbox_published");
        published.HasKey(p => p.Sequence);
        published.Property(p => p.Sequence).ValueGeneratedNever();
    }
}
