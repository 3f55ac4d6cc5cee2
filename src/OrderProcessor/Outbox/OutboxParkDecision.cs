namespace OrderProcessor.Outbox;

/// <summary>The relay's verdict that a row cannot be published as things are, and why (stored as its park reason).</summary>
public sealed record OutboxParkDecision(OutboxParkCause Cause, string Reason)
{
    /// <summary>The reason as stored: the cause first, so a listing can be grepped by it.</summary>
    public string Text => $"{Cause}: {Reason}";
}
