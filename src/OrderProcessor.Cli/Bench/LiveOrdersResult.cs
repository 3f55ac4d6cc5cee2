namespace OrderProcessor.Cli.Bench;

/// <summary>
/// The processor's memory while <see cref="Orders"/> resting orders were live at IBKR (<see cref="LiveOrdersPhase"/>):
/// <see cref="Working"/> of them acknowledged as submitted, the largest resident set sampled over
/// <see cref="Sampled"/> once they were (null where <c>/proc</c> cannot be read), and how long placing them took.
/// <see cref="NotFinal"/>: orders still open after their cancels (the phase's clean-up).
/// </summary>
public sealed record LiveOrdersResult(int Orders, int Working, double? RssMb, TimeSpan Sampled, TimeSpan Placing, int NotFinal);
