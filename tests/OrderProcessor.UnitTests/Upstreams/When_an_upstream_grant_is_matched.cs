using OrderProcessor.Persistence;
using OrderProcessor.Upstreams;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Upstreams;

public sealed class When_an_upstream_grant_is_matched(ITestOutputHelper output)
{
    [Theory]
    [InlineData("*", "alice", true)]
    [InlineData("*", null, true)]
    [InlineData("alice", "alice", true)]
    [InlineData("alice", "Alice", false)]
    [InlineData("alice", "alice2", false)]
    [InlineData("platform-a-*", "platform-a-17", true)]
    [InlineData("platform-a-*", "platform-a-", true)]
    [InlineData("platform-a-*", "platform-b-17", false)]
    [InlineData("platform-a-*", "platform-a", false)]
    [InlineData("platform-a-*", null, false)]
    [InlineData("alice", "", false)]
    public void Should_match_exact_values_any_and_prefixes(string pattern, string? value, bool matches)
    {
        output.WriteLine($"'{pattern}' vs '{value ?? "(none)"}': {GrantPattern.Matches(pattern, value)}");
        Assert.Equal(matches, GrantPattern.Matches(pattern, value));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" alice")]
    [InlineData("a*b")]
    [InlineData("**")]
    [InlineData("*alice")]
    [InlineData("al\nice")]
    public void Should_refuse_to_store_a_malformed_pattern(string pattern)
    {
        Assert.False(GrantPattern.IsValid(pattern, out var problem));
        output.WriteLine($"'{pattern}': {problem}");
        Assert.NotEmpty(problem);
    }

    [Fact]
    public void Should_need_one_grant_matching_both_the_user_and_the_account()
    {
        var grants = new UpstreamGrantSet(
        [
            new UpstreamGrant { Upstream = "platform-a", UserPattern = "alice", AccountPattern = "DU1" },
            new UpstreamGrant { Upstream = "platform-a", UserPattern = "pa-*", AccountPattern = "*" },
        ]);

        Assert.True(grants.Permits(new UpstreamSubject("alice", "DU1")));
        Assert.False(grants.Permits(new UpstreamSubject("alice", "DU2")));
        Assert.True(grants.Permits(new UpstreamSubject("pa-7", "DU2")));
        Assert.False(grants.Permits(new UpstreamSubject("bob", "DU1")));
        // Without an account (a cancel of an order not known yet) a grant of the user will do.
        Assert.True(grants.Permits(new UpstreamSubject("alice", null)));
        Assert.False(grants.Permits(new UpstreamSubject(null, "DU1")));
        Assert.False(new UpstreamGrantSet([]).Permits(new UpstreamSubject("alice", "DU1")));
    }
}
