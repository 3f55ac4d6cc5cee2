namespace OrderProcessor.Upstreams;

/// <summary>Whether the upstream mapping is applied (<c>Upstreams:Authorization</c>).</summary>
public enum UpstreamAuthorizationMode
{
    /// <summary>Every command must come from an upstream (RabbitMQ user) granted its user and account; an empty mapping refuses everything.</summary>
    Enforced,

    /// <summary>Any publisher may act for any user: the default only in the Development environment.</summary>
    Open,
}
