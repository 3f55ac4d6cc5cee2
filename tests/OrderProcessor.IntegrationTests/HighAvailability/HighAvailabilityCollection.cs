namespace OrderProcessor.IntegrationTests.HighAvailability;

/// <summary>
/// The high-availability tests run alone, after the classes that run in parallel: they time takeovers to the second
/// (no user without an owner for more than one) and restart processes, which a machine busy with other classes' bursts
/// would slow by seconds.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HighAvailabilityCollection
{
    public const string Name = "High availability";
}
