using System.Text.RegularExpressions;

namespace OrderProcessor.Brokerage.Ibkr;

/// <summary>
/// One IBKR endpoint as the guard sees it. <see cref="Repeatable"/>: sending it twice cannot change anything at IBKR
/// beyond sending it once, so transport failures may be retried. Everything else is never retried once it may have left.
/// </summary>
public sealed record IbkrEndpoint(string Name, HttpMethod Method, Regex PathPattern, bool Repeatable)
{
    public override string ToString() => Name;
}
