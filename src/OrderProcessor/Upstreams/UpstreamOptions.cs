namespace OrderProcessor.Upstreams;

/// <summary>Who may publish commands for whom (section <c>Upstreams</c>).</summary>
public sealed class UpstreamOptions
{
    public const string Section = "Upstreams";

    /// <summary>
    /// <c>Enforced</c> or <c>Open</c>. Left out: <c>Open</c> in the Development environment
    /// (<c>DOTNET_ENVIRONMENT</c>/<c>ASPNETCORE_ENVIRONMENT</c>), <c>Enforced</c> everywhere else.
    /// </summary>
    public UpstreamAuthorizationMode? Authorization { get; set; }

    /// <summary>How long an upstream's grants are used before they are read again: a grant or revoke takes effect within it.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The upstreams (RabbitMQ user ids) whose HaltTrading and ResumeTrading commands are obeyed (kill switch). Empty (the
    /// default): none, only the CLI can halt. <c>*</c>: any upstream, an unauthenticated one included (development and tests).
    /// </summary>
    public IList<string> TradingControl { get; } = [];

    /// <summary>Whether <paramref name="upstream"/> may halt and resume trading.</summary>
    public bool MayControlTrading(string? upstream) =>
        TradingControl.Contains("*") || (upstream is not null && TradingControl.Contains(upstream, StringComparer.Ordinal));
}
