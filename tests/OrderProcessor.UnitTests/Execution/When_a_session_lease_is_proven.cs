using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Configuration;
using OrderProcessor.Execution;

namespace OrderProcessor.UnitTests.Execution;

public sealed class When_a_session_lease_is_proven
{
    private static (UserSessionOwnership Ownership, FakeTimeProvider Time) Ownership()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        return (new UserSessionOwnership(Options.Create(new LifecycleOptions { UserLeaseDuration = TimeSpan.FromSeconds(30), InstanceId = "a" }), time), time);
    }

    private static LeaseGrant Grant(long sent, params (string User, long Epoch)[] owned) =>
        new([.. owned.Select(o => o.User)], owned.ToDictionary(o => o.User, o => (o.Epoch, DateTimeOffset.UnixEpoch)), sent);

    [Fact]
    public void Should_trust_a_lease_only_until_its_end_minus_the_margin_counted_from_when_the_statement_was_sent()
    {
        var (ownership, time) = Ownership();
        var sent = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(2)); // the statement took a while: the proof still counts from when it was sent
        ownership.Record(Grant(sent, ("alice", 7)));

        Assert.True(ownership.MayUse("alice", TimeSpan.FromSeconds(10)));
        time.Advance(TimeSpan.FromSeconds(16)); // 18 s after sending: 10 s more would pass 30 s − the 3 s margin
        Assert.False(ownership.MayUse("alice", TimeSpan.FromSeconds(10)));
        Assert.True(ownership.MayUse("alice", TimeSpan.Zero));
        time.Advance(TimeSpan.FromSeconds(10)); // 28 s after sending: past 30 s − the 3 s margin
        Assert.False(ownership.MayUse("alice", TimeSpan.Zero));
        Assert.Equal(7, ownership.EpochOf("alice"));
    }

    [Fact]
    public void Should_stop_trusting_a_lease_the_database_gave_to_another_instance()
    {
        var (ownership, time) = Ownership();
        ownership.Record(Grant(time.GetTimestamp(), ("alice", 1)));

        ownership.Record(new LeaseGrant(["alice"], new Dictionary<string, (long, DateTimeOffset)>(), time.GetTimestamp()));

        Assert.False(ownership.MayUse("alice", TimeSpan.Zero));
        Assert.Null(ownership.EpochOf("alice"));
    }

    [Fact]
    public void Should_never_let_a_user_it_never_held_be_used()
    {
        var (ownership, _) = Ownership();
        Assert.False(ownership.MayUse("bob", TimeSpan.Zero));
    }

    [Fact]
    public void Should_give_a_claim_the_held_epoch_only_while_the_proof_lasts_and_the_user_is_in_use()
    {
        var (ownership, time) = Ownership();
        ownership.Record(Grant(time.GetTimestamp(), ("alice", 4)));
        Assert.Equal(4, ownership.ProvenEpoch("alice", TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(5)));
        Assert.Null(ownership.ProvenEpoch("bob", TimeSpan.Zero, TimeSpan.FromMinutes(5)));

        time.Advance(TimeSpan.FromSeconds(13)); // 14 s of proof left: not the 15 s asked for
        Assert.Null(ownership.ProvenEpoch("alice", TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(5)));

        // The keeper renews without using the user: the proof lasts, the use ages. Past five minutes unused, a claim must
        // renew through the database (only that holds off the keeper's idle release) instead of trusting the proof.
        for (var beat = 0; beat < 31; beat++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            ownership.Record(Grant(time.GetTimestamp(), ("alice", 4)), inUse: false);
        }

        Assert.Null(ownership.ProvenEpoch("alice", TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(5)));
        Assert.True(ownership.MayUse("alice", TimeSpan.FromSeconds(15))); // the proof itself holds (and this is a use)
        Assert.Equal(4, ownership.ProvenEpoch("alice", TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(5)));
    }
}
