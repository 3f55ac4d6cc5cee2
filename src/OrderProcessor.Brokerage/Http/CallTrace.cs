namespace OrderProcessor.Brokerage.Http;

/// <summary>
/// Records, for the calling flow, whether a request actually went out to the network. This is what separates
/// "failed before it left" (safe to repeat) from "may have reached IBKR" (ambiguous for orders).
/// </summary>
internal sealed class CallTrace
{
    private static readonly AsyncLocal<CallTrace?> CurrentTrace = new();
    private int _sent;

    public static CallTrace? Current => CurrentTrace.Value;

    public bool Sent => Volatile.Read(ref _sent) == 1;

    public static CallTrace Begin()
    {
        var trace = new CallTrace();
        CurrentTrace.Value = trace;
        return trace;
    }

    public void MarkSent() => Volatile.Write(ref _sent, 1);
}
