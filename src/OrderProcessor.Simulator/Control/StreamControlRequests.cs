namespace OrderProcessor.Simulator.Control;

/// <summary>Body of <c>POST /__sim/users/{userId}/stream/drop</c>: false (default) breaks the connection, true sends a close frame.</summary>
public sealed record StreamDropRequest(bool Graceful = false);

/// <summary>Body of <c>POST /__sim/users/{userId}/stream/stall</c>: how long, e.g. "00:00:30".</summary>
public sealed record StreamStallRequest(string? For);

/// <summary>Body of <c>POST /__sim/users/{userId}/stream/delay</c>: by how much, e.g. "00:00:02" ("00:00:00" ends it).</summary>
public sealed record StreamDelayRequest(string? By);

/// <summary>Body of <c>POST /__sim/users/{userId}/stream/garbage</c>: malformed, partial, notJson or unknownTopic, and how many.</summary>
public sealed record StreamGarbageRequest(string? Kind, int Count = 1);

/// <summary>Body of <c>POST /__sim/users/{userId}/stream/duplicate</c>: how many of the next data frames go out twice.</summary>
public sealed record StreamDuplicateRequest(int Count = 1);

/// <summary>Body of <c>POST /__sim/stream/drop-every</c>: the period, e.g. "00:00:20"; null or "00:00:00" stops it.</summary>
public sealed record StreamDropEveryRequest(string? Every);
