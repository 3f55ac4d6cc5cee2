namespace OrderProcessor.Cli.Bench;

/// <summary>The bare round trip's command: a consumer answers it with <see cref="BenchPong"/>, with no database at all.</summary>
public sealed record BenchPing(Guid Id);
