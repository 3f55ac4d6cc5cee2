namespace OrderProcessor.IntegrationTests.ScaleOut;

/// <summary>
/// Tests that count requests per wall-clock second at an in-process simulator run alone, after the classes that run in
/// parallel: beside them the thread pool of this process (where the guards, their clients and the simulator all run)
/// waits for whole seconds now and then, and requests granted a second apart arrive together.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockRatesCollection
{
    public const string Name = "wall-clock rates";
}
