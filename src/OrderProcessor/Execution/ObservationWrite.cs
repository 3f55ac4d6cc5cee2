namespace OrderProcessor.Execution;

/// <summary>
/// What one write of observations did: refused (this instance no longer holds the user's lease under the epoch), or
/// which orders changed (<see cref="Applied"/>), which were still being sent and so left to the send's answer
/// (<see cref="LeftToTheSend"/>), and how many followed orders the read did not list.
/// </summary>
public sealed record ObservationWrite(bool Written, IReadOnlyCollection<string> Applied, IReadOnlyCollection<string> LeftToTheSend, int Unlisted)
{
    public static ObservationWrite Nothing { get; } = new(true, [], [], 0);

    public static ObservationWrite Refused { get; } = new(false, [], [], 0);
}
