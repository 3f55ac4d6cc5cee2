namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// The tests that count the pages a read touches once it has marked the dead index entries it met run alone, after the
/// classes that run in parallel: PostgreSQL marks an entry only once it judges no transaction can still see its row, and
/// run beside each other (each in its own database) the relay's read touched 389 pages instead of 86, every time. Which
/// of the other test's transactions held the marking back was not pinned down.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeadIndexEntriesCollection
{
    public const string Name = "Dead index entries";
}
