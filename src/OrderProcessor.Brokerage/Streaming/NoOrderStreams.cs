namespace OrderProcessor.Brokerage.Streaming;

/// <summary>No sockets at all: every user is followed by polling alone.</summary>
public sealed class NoOrderStreams : IOrderStreams
{
    public void Follow(string userId, long leaseEpoch)
    {
    }

    public void Unfollow(string userId)
    {
    }

    public OrderStreamState StateOf(string userId) => OrderStreamState.PollingOnly;
}
