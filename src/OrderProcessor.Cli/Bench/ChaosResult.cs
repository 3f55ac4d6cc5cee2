namespace OrderProcessor.Cli.Bench;

/// <summary>
/// The chaos phase compared with the simulator's ledger: every socket dropped every <see cref="DropEvery"/> while
/// <see cref="Orders"/> orders were filled. Any missed fill, fill counted twice or order not final fails the run.
/// </summary>
public sealed record ChaosResult(int Orders, TimeSpan DropEvery, long SocketsDropped, int OrdersFilledAtIbkr, int FillsMissed, int FillsCountedTwice, int NotFinal,
    IReadOnlyList<string> Examples)
{
    public bool Clean => FillsMissed == 0 && FillsCountedTwice == 0 && NotFinal == 0;
}
