using OrderProcessor.Persistence;

namespace OrderProcessor.Upstreams;

/// <summary>The grants of one upstream and the rule that reads them. Pure code.</summary>
public sealed class UpstreamGrantSet(IReadOnlyList<UpstreamGrant> grants)
{
    public IReadOnlyList<UpstreamGrant> Grants { get; } = grants;

    /// <summary>
    /// Whether some grant matches both the user and the account. A subject without an account (a cancel of an order not
    /// known yet) needs a grant of the user only; a subject without a user matches nothing but a grant of <c>*</c>.
    /// </summary>
    public bool Permits(UpstreamSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return Grants.Any(g => GrantPattern.Matches(g.UserPattern, subject.UserId)
            && (subject.AccountId is null || GrantPattern.Matches(g.AccountPattern, subject.AccountId)));
    }
}
