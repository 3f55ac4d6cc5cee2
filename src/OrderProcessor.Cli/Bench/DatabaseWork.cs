namespace OrderProcessor.Cli.Bench;

/// <summary>
/// PostgreSQL work per order: committed transactions, rows inserted and updated, write-ahead log written (KiB) and how
/// many full-page images it held, and the checkpoints that fell within the phase.
/// </summary>
public sealed record DatabaseWork(
    double CommitsPerOrder,
    double RowsInsertedPerOrder,
    double RowsUpdatedPerOrder,
    double WalKilobytesPerOrder,
    double FullPageImagesPerOrder,
    long Checkpoints);
