namespace OrderProcessor.Persistence;

/// <summary>
/// One row of the upstream mapping (table <c>upstream_grants</c>): the upstream, by the RabbitMQ user it authenticates
/// as, may act for the users matching <see cref="UserPattern"/> on the accounts matching <see cref="AccountPattern"/>.
/// A pattern is an exact value, <c>*</c> (any), or a prefix ending in <c>*</c> (<c>platform-a-*</c>).
/// </summary>
public sealed class UpstreamGrant
{
    public string Upstream { get; set; } = string.Empty;
    public string UserPattern { get; set; } = string.Empty;
    public string AccountPattern { get; set; } = string.Empty;
    public DateTimeOffset GrantedAt { get; set; }
}
