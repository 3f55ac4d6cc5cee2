namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>
/// Tests that count requests per wall-clock second at the in-process simulator run alone, after the tests that run in
/// parallel: beside them the thread pool (where the guard, its readers and the simulator all run) is now and then
/// busy for a second, and a rate measured through it says more about the other tests than about the guard.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockRates
{
    public const string Name = "wall-clock rates";
}
