namespace OrderProcessor.Cli.Bench;

/// <summary>The bare round trip's event.</summary>
public sealed record BenchPong(Guid Id);
