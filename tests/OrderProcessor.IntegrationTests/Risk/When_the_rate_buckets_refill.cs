using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Halts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Persistence;
using OrderProcessor.Risk;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Risk;

/// <summary>
/// The order-rate token buckets in PostgreSQL (<see cref="RateBuckets"/>), on a database of their own: capacity, refill
/// over time, a refused spend that spends nothing from any bucket, and two transactions (two instances) spending from one
/// bucket at once without ever giving more than its capacity.
/// </summary>
public sealed class When_the_rate_buckets_refill(IsolatedServers servers, ITestOutputHelper output) : IClassFixture<IsolatedServers>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Should_give_the_capacity_then_refill_at_the_capacity_per_period()
    {
        var bucket = new RateBucket("account", "DU-REFILL", RatePeriod.Second, 3);
        var given = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            given.Add(await SpendAsync([bucket], T0) is null);
        }

        var afterHalfASecond = new List<bool>();
        for (var i = 0; i < 2; i++)
        {
            afterHalfASecond.Add(await SpendAsync([bucket], T0.AddMilliseconds(500)) is null);
        }

        var afterAMinute = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            afterAMinute.Add(await SpendAsync([bucket], T0.AddMinutes(1)) is null);
        }

        output.WriteLine($"capacity 3/s at t0: {string.Join(",", given)}; +0.5 s (1.5 tokens back): {string.Join(",", afterHalfASecond)}; +1 min (full, never above): {string.Join(",", afterAMinute)}");
        Assert.Equal([true, true, true, false], given);
        Assert.Equal([true, false], afterHalfASecond);
        Assert.Equal([true, true, true, false], afterAMinute);
    }

    [Fact]
    public async Task Should_spend_nothing_from_any_bucket_when_one_refuses()
    {
        var account = new RateBucket("account", "DU-ALL-OR-NONE", RatePeriod.Second, 10);
        var user = new RateBucket("user", "all-or-none", RatePeriod.Minute, 1);
        Assert.Null(await SpendAsync([account, user], T0));
        var before = await TokensAsync(account);
        var refused = await SpendAsync([account, user], T0);
        var after = await TokensAsync(account);

        output.WriteLine($"second order refused by {refused?.Describe()}; the account's bucket: {before} tokens before, {after} after");
        Assert.Equal(user, refused);
        Assert.Equal(before, after);
        Assert.Equal(9, after);
    }

    [Fact]
    public async Task Should_give_one_bucket_at_most_its_capacity_across_two_concurrent_transactions()
    {
        var bucket = new RateBucket("account", "DU-TWO-INSTANCES", RatePeriod.Minute, 1);
        await using var first = servers.CreateDbContext();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        Assert.Null(await RateBuckets.TrySpendAsync(first, [bucket], 1, T0, CancellationToken.None));

        // The second instance's spend waits on the first's row (or insert) until it commits, then sees the bucket empty.
        await using var second = servers.CreateDbContext();
        await using var secondTransaction = await second.Database.BeginTransactionAsync();
        var clock = Stopwatch.StartNew();
        var secondSpend = RateBuckets.TrySpendAsync(second, [bucket], 1, T0, CancellationToken.None);
        await Task.Delay(500);
        var waited = !secondSpend.IsCompleted;
        await firstTransaction.CommitAsync();
        var refused = await secondSpend;
        await secondTransaction.CommitAsync();

        // Had the first rolled back, the second would have had the token: the same again on a fresh bucket.
        var other = bucket with { ScopeKey = "DU-TWO-INSTANCES-ROLLBACK" };
        await using var third = servers.CreateDbContext();
        await using var thirdTransaction = await third.Database.BeginTransactionAsync();
        Assert.Null(await RateBuckets.TrySpendAsync(third, [other], 1, T0, CancellationToken.None));
        await using var fourth = servers.CreateDbContext();
        await using var fourthTransaction = await fourth.Database.BeginTransactionAsync();
        var fourthSpend = RateBuckets.TrySpendAsync(fourth, [other], 1, T0, CancellationToken.None);
        await Task.Delay(300);
        await thirdTransaction.RollbackAsync();
        var fourthRefused = await fourthSpend;
        await fourthTransaction.CommitAsync();

        output.WriteLine($"capacity 1/min, two transactions at once: the second waited for the first ({waited}, {clock.ElapsedMilliseconds} ms) and was refused ({refused is not null}); after a rollback of the first instead, the second got the token ({fourthRefused is null})");
        Assert.True(waited);
        Assert.NotNull(refused);
        Assert.Null(fourthRefused);
    }

    [Fact]
    public async Task Should_give_back_what_other_buckets_paid_when_a_concurrent_spender_empties_one_in_between()
    {
        // Without the consumer's advisory locks, a spender can empty a bucket after this statement read it: the statement
        // then pays from the other buckets only, and must give those tokens back so that a refusal spends nothing.
        var shared = new RateBucket("account", "DU-RACE", RatePeriod.Minute, 1);
        var own = new RateBucket("user", "race-own", RatePeriod.Minute, 10);
        await using var first = servers.CreateDbContext();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        Assert.Null(await RateBuckets.TrySpendAsync(first, [shared], 1, T0, CancellationToken.None));

        await using var second = servers.CreateDbContext();
        await using var secondTransaction = await second.Database.BeginTransactionAsync();
        var secondSpend = RateBuckets.TrySpendAsync(second, [own, shared], 1, T0, CancellationToken.None);
        await Task.Delay(300);
        var waited = !secondSpend.IsCompleted;
        await firstTransaction.CommitAsync();
        var refused = await secondSpend;
        await secondTransaction.CommitAsync();
        var ownTokens = await TokensAsync(own);
        var sharedTokens = await TokensAsync(shared);

        output.WriteLine($"the second spender waited ({waited}), was refused by {refused?.Describe()}; its own bucket holds {ownTokens} of {own.Capacity}, the shared one {sharedTokens}");
        Assert.True(waited);
        Assert.Equal(shared, refused);
        Assert.Equal(own.Capacity, ownTokens);
        Assert.Equal(0, sharedTokens);
    }

    [Fact]
    public async Task Should_look_each_bucket_up_by_key_not_read_them_all()
    {
        // Every order spends. With a few hundred buckets (the benchmark's 100 accounts and users) the planner read the whole
        // table into a hash join for every order once the read and the spend became one statement: 2.2 million rows in a
        // benchmark of 4,000 orders. (From some thousands of buckets on it looks them up by key anyway.)
        await using (var setup = servers.CreateDbContext())
        {
            await setup.Database.ExecuteSqlRawAsync("""
                INSERT INTO risk_rate_buckets (scope, scope_key, period, tokens, refilled_at)
                SELECT 'account', 'DU-MANY-' || i, p, 1, now() FROM generate_series(1, 200) AS i, unnest(ARRAY['second', 'minute']) AS p
                ON CONFLICT DO NOTHING;
                ANALYZE risk_rate_buckets;
                """);
            await setup.Database.ExecuteSqlRawAsync("SELECT pg_stat_force_next_flush()");
        }

        // The set-up's own scans (the inserts' unique checks, ANALYZE) and the earlier tests' are counted first: a session
        // flushes its counters at exit (the pool's idle ones are closed here) or when told to.
        using (var pooled = new Npgsql.NpgsqlConnection(servers.ConnectionString))
        {
            Npgsql.NpgsqlConnection.ClearPool(pooled);
        }

        var before = await ScansAsync();
        for (var wait = 0; wait < 40; wait++)
        {
            await Task.Delay(100);
            var again = await ScansAsync();
            if (again == before && before.Index >= 400)
            {
                break;
            }

            before = again;
        }

        await using (var db = servers.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Null(await RateBuckets.TrySpendAsync(db, [new RateBucket("account", "DU-MANY-7", RatePeriod.Minute, 100), new RateBucket("user", "many", RatePeriod.Second, 10)],
                1, DateTimeOffset.UtcNow, CancellationToken.None));
            await db.Database.ExecuteSqlRawAsync("SELECT pg_stat_force_next_flush()");
            await transaction.CommitAsync();
        }

        // The statistics reach the shared counters when the spending session flushes them (forced at its commit).
        var after = await ScansAsync();
        for (var wait = 0; wait < 40 && after.Index == before.Index; wait++)
        {
            await Task.Delay(50);
            after = await ScansAsync();
        }

        output.WriteLine($"400 buckets in the table; one spend from 2 of them: {after.Sequential - before.Sequential} sequential scans, {after.Index - before.Index} index scans");
        Assert.True(after.Index > before.Index, "the spend's index scans were never counted");
        Assert.Equal(before.Sequential, after.Sequential);
    }

    [Fact]
    public async Task Should_spend_no_token_for_an_order_an_earlier_control_refuses()
    {
        var check = new PreTradeRiskCheck(Options.Create(new RiskOptions { MaxQuantity = 5 }), new NoHalts(), NullLogger<PreTradeRiskCheck>.Instance);
        var command = TestOrders.Limit("spender", quantity: 10) with { AccountId = "DU-NOT-SPENT" };
        await using var db = servers.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var verdict = await check.CheckAsync(db, command, T0, CancellationToken.None);
        var passing = await check.CheckAsync(db, command with { Quantity = 5 }, T0, CancellationToken.None);
        await transaction.CommitAsync();
        await using var reader = servers.CreateDbContext();
        var buckets = await reader.RiskRateBuckets.Where(b => b.ScopeKey == "DU-NOT-SPENT" || b.ScopeKey == "spender")
            .OrderBy(b => b.Scope).ThenBy(b => b.Period).Select(b => $"{b.Scope}/{b.Period}={b.Tokens}").ToListAsync();

        output.WriteLine($"quantity 10 over 5: {verdict.Code}; the buckets after it and one passing order: [{string.Join(", ", buckets)}]");
        Assert.Equal(Contracts.RejectionReasonCode.MaxQuantityExceeded, verdict.Code);
        Assert.False(passing.Refused);
        Assert.Equal(["account/minute=299", "account/second=9", "user/minute=599", "user/second=19"], buckets);
    }

    /// <summary>
    /// The spend that rides at the end of a save's first command (a consumer's first attempt): the same capacity and all
    /// or none as the statement alone, and a short bucket aborts the save, so nothing it wrote commits and no bucket keeps
    /// a spend. With nothing else to save it is spent as a command of its own, raising the same way.
    /// </summary>
    [Fact]
    public async Task Should_spend_with_the_save_as_alone_and_abort_the_save_when_a_bucket_is_short()
    {
        var account = new RateBucket("account", "DU-WITH-THE-SAVE", RatePeriod.Second, 10);
        var user = new RateBucket("user", "with-the-save", RatePeriod.Minute, 2);
        var saved = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            saved.Add(await SpendWithTheSaveAsync([account, user], T0, withARow: true));
        }

        var tokens = (await TokensAsync(account), await TokensAsync(user));
        var alone = await SpendWithTheSaveAsync([account, user], T0, withARow: false);
        var aloneLater = await SpendWithTheSaveAsync([account], T0.AddSeconds(1), withARow: false);
        await using var db = servers.CreateDbContext();
        var rows = await db.Inbox.CountAsync(i => i.Consumer == "with-the-save");

        output.WriteLine($"three saves with a spend (user 2/min): {string.Join(",", saved)}; tokens after (account, user): {tokens}; " +
            $"rows committed: {rows}; with nothing else to save: user short {alone}, account alone {aloneLater}");
        Assert.Equal([true, true, false], saved);
        Assert.Equal((8d, 0d), tokens);
        Assert.Equal(2, rows);
        Assert.False(alone);
        Assert.True(aloneLater);
        Assert.Equal(9d, await TokensAsync(account));
    }

    private async Task<bool> SpendWithTheSaveAsync(IReadOnlyList<RateBucket> buckets, DateTimeOffset now, bool withARow)
    {
        await using var db = servers.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        RateBuckets.SpendWithTheSave(db, buckets, 1, now);
        if (withARow)
        {
            Inbox.MessageInbox.Record(db, Guid.NewGuid(), "with-the-save", "hash", now);
        }

        try
        {
            await db.SaveChangesAsync();
            if (withARow)
            {
                // The save's own command took the spend (RateSpendInterceptor): nothing is left for the fallback.
                Assert.Null(db.TakeRateSpend());
            }

            await RateBuckets.SpendArmedAsync(db, CancellationToken.None);
            await transaction.CommitAsync();
            return true;
        }
        catch (Exception exception) when (RateSpendCall.IsShort(exception))
        {
            return false;
        }
    }

    private async Task<RateBucket?> SpendAsync(IReadOnlyList<RateBucket> buckets, DateTimeOffset now)
    {
        await using var db = servers.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var refused = await RateBuckets.TrySpendAsync(db, buckets, 1, now, CancellationToken.None);
        await transaction.CommitAsync();
        return refused;
    }

    private async Task<(long Sequential, long Index)> ScansAsync()
    {
        await using var db = servers.CreateDbContext();
        var scans = await db.Database.SqlQueryRaw<long>(
            "SELECT unnest(ARRAY[seq_scan, COALESCE(idx_scan, 0)]) AS \"Value\" FROM pg_stat_user_tables WHERE relname = 'risk_rate_buckets'").ToListAsync();
        return (scans[0], scans[1]);
    }

    private async Task<double> TokensAsync(RateBucket bucket)
    {
        await using var db = servers.CreateDbContext();
        return await db.RiskRateBuckets.Where(b => b.Scope == bucket.Scope && b.ScopeKey == bucket.ScopeKey && b.Period == bucket.PeriodName)
            .Select(b => b.Tokens).SingleAsync();
    }
}
