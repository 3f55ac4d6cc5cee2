namespace OrderProcessor.Cli.Bench;

/// <summary>
/// How long the processor was warmed up before the burst: the fixed <c>--warmup</c>, then on in windows while its JIT's
/// tiering thread was still recompiling hot methods (a processor measured while it compiles is measured half warm).
/// </summary>
/// <param name="Seconds">The whole warm-up, fixed part and extension; the Wolverine peer gets the same.</param>
/// <param name="Extended">Seconds added after the fixed part while the JIT was busy.</param>
/// <param name="JitQuiet">Whether the JIT went quiet before the cap (one more <c>--warmup</c>).</param>
/// <param name="LastJitShare">The tiering thread's share of the processor's CPU in the last window (null without it).</param>
public sealed record ProcessorWarmup(double Seconds, double Extended, bool JitQuiet, double? LastJitShare)
{
    /// <summary>The window over which the JIT's share is judged.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>Below this share of the processor's CPU in a window, the JIT counts as quiet.</summary>
    public const double QuietShare = 0.03;

    /// <summary>The tiering thread's share of the processor's CPU between two snapshots; null when either lacks it.</summary>
    public static double? JitShare(CpuSnapshot before, CpuSnapshot after)
    {
        if (before.ProcessorJitSeconds is not { } jitThen || after.ProcessorJitSeconds is not { } jitNow)
        {
            return null;
        }

        var processor = after.SecondsByRole.GetValueOrDefault("processor") - before.SecondsByRole.GetValueOrDefault("processor");
        // A tiering thread that ended in the window took its time with it: the share is then a lower bound, and the
        // thread ended because it had nothing left to compile.
        return processor > 0 ? Math.Max(0, jitNow - jitThen) / processor : 0;
    }
}
