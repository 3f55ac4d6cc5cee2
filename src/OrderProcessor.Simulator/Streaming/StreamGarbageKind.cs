namespace OrderProcessor.Simulator.Streaming;

/// <summary>What kind of bad frame the control API injects into a user's socket.</summary>
public enum StreamGarbageKind
{
    /// <summary>Valid JSON with the wrong shape: a <c>sor</c> frame whose elements have fields of the wrong type.</summary>
    Malformed,

    /// <summary>A JSON frame cut in the middle.</summary>
    Partial,

    /// <summary>Not JSON at all (an HTML error page of a proxy).</summary>
    NotJson,

    /// <summary>Valid JSON on a topic no client knows.</summary>
    UnknownTopic,
}
