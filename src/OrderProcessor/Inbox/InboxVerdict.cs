namespace OrderProcessor.Inbox;

/// <summary>What the inbox says of a delivery.</summary>
public enum InboxVerdict
{
    /// <summary>The message id is new for this consumer: process it (its row is added).</summary>
    New,

    /// <summary>The same command again (a redelivery, a publisher's retry): acknowledge without effect.</summary>
    Repeat,

    /// <summary>A different command under a message id this consumer already processed: refuse it loudly.</summary>
    Conflicting,
}
