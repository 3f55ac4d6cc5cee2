using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>What one server frame says, as far as the guard cares.</summary>
internal abstract record ParsedFrame
{
    /// <summary>The topic as a metric tag: one of a fixed set, never the raw text of a frame.</summary>
    public abstract string TopicTag { get; }
}

/// <summary><c>{"topic":"system","success":"user"}</c>: the socket may now be written to.</summary>
internal sealed record SystemSuccessFrame(string UserName) : ParsedFrame
{
    public override string TopicTag => "system";
}

/// <summary><c>{"topic":"system","hb":…}</c>; the value is opaque (staleness is judged by the local receive time).</summary>
internal sealed record HeartbeatFrame : ParsedFrame
{
    public override string TopicTag => "system";
}

/// <summary><c>sts</c>: the brokerage session's status as IBKR pushes it.</summary>
internal sealed record StatusFrame(bool? Authenticated, bool? Competing, string? Message) : ParsedFrame
{
    public override string TopicTag => "sts";
}

/// <summary><c>sor</c>: sparse order deltas, the elements that read; <see cref="BadElements"/> did not.</summary>
internal sealed record OrdersFrame(IReadOnlyList<LiveOrder> Orders, int BadElements) : ParsedFrame
{
    public override string TopicTag => "sor";
}

/// <summary><c>str</c>: executions, the elements that read; <see cref="BadElements"/> did not.</summary>
internal sealed record ExecutionsFrame(IReadOnlyList<Trade> Executions, int BadElements) : ParsedFrame
{
    public override string TopicTag => "str";
}

/// <summary>Anything else that parses (<c>act</c>, <c>ntf</c>, <c>blt</c>, <c>error</c>, topic-less, unknown topics): ignored.</summary>
internal sealed record OtherFrame(string Topic) : ParsedFrame
{
    public override string TopicTag => Topic;
}

/// <summary>Not JSON, partial JSON, or a known topic in a shape that cannot be read.</summary>
internal sealed record MalformedFrame(string Reason) : ParsedFrame
{
    public override string TopicTag => "malformed";
}
