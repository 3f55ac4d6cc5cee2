using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.PiTrade;
using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_bearer_tokens_are_needed
{
    private readonly FakeTimeProvider _time = new();
    private readonly BrokerageOptions _options = new() { PiTrade = { TokenRefreshAhead = TimeSpan.FromSeconds(60) } };

    [Fact]
    public async Task Should_make_one_request_for_a_burst_of_100_callers()
    {
        var pitrade = new SlowPiTrade(_time, TimeSpan.FromMinutes(10));
        var cache = new BearerTokenCache(pitrade, _time, new StaticOptionsMonitor(_options));

        var callers = Enumerable.Range(0, 100).Select(_ => Task.Run(() => cache.GetAsync("u1", CancellationToken.None))).ToList();
        await Task.Delay(50);
        pitrade.Release();
        var tokens = await Task.WhenAll(callers);

        Assert.Equal(1, pitrade.Requests);
        Assert.Single(tokens.Distinct());
    }

    [Fact]
    public async Task Should_refresh_ahead_of_expiry()
    {
        var pitrade = new SlowPiTrade(_time, TimeSpan.FromMinutes(10)) { Immediate = true };
        var cache = new BearerTokenCache(pitrade, _time, new StaticOptionsMonitor(_options));
        var first = await cache.GetAsync("u1", CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(8.9));
        Assert.Same(first, await cache.GetAsync("u1", CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(0.2));
        var second = await cache.GetAsync("u1", CancellationToken.None);

        Assert.NotSame(first, second);
        Assert.Equal(2, pitrade.Requests);
    }

    [Fact]
    public async Task Should_replace_a_rejected_token_once_for_a_burst_of_401s()
    {
        var pitrade = new SlowPiTrade(_time, TimeSpan.FromMinutes(10)) { Immediate = true };
        var cache = new BearerTokenCache(pitrade, _time, new StaticOptionsMonitor(_options));
        var rejected = await cache.GetAsync("u1", CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            cache.Invalidate("u1", rejected);
            await cache.GetAsync("u1", CancellationToken.None);
        }

        Assert.Equal(2, pitrade.Requests);
    }

    [Fact]
    public async Task Should_keep_tokens_per_egress_ip_when_one_is_configured()
    {
        var pitrade = new SlowPiTrade(_time, TimeSpan.FromMinutes(10)) { Immediate = true };
        var cache = new BearerTokenCache(pitrade, _time, new StaticOptionsMonitor(_options));
        await cache.GetAsync("u1", CancellationToken.None);

        _options.PiTrade.EgressIp = "203.0.113.7";
        var bound = await cache.GetAsync("u1", CancellationToken.None);

        Assert.Equal(2, pitrade.Requests);
        Assert.Equal("203.0.113.7", pitrade.LastIp);
        Assert.Equal("203.0.113.7", bound.BoundIp);
    }

    [Fact]
    public async Task Should_fall_back_to_the_still_valid_token_when_a_refresh_fails()
    {
        var pitrade = new SlowPiTrade(_time, TimeSpan.FromMinutes(10)) { Immediate = true };
        var cache = new BearerTokenCache(pitrade, _time, new StaticOptionsMonitor(_options));
        var first = await cache.GetAsync("u1", CancellationToken.None);

        // Due for its refresh (60 s ahead), still valid for more than an attempt: PiTrade fails the refresh.
        _time.Advance(TimeSpan.FromMinutes(9.5));
        pitrade.FailWith = new Failures.BrokerageException(Failures.BrokerageFailureKind.NotReady, "PiTrade answered 503");
        var during = await cache.GetAsync("u1", CancellationToken.None);

        // Past its expiry the failure is the caller's again.
        _time.Advance(TimeSpan.FromMinutes(0.5));
        var expired = await Assert.ThrowsAsync<Failures.BrokerageException>(() => cache.GetAsync("u1", CancellationToken.None));

        Assert.Same(first, during);
        Assert.Equal(Failures.BrokerageFailureKind.NotReady, expired.Kind);
        Assert.Equal(3, pitrade.Requests);
    }

    private sealed class SlowPiTrade(TimeProvider time, TimeSpan lifetime) : IPiTradeBearerTokenClient
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _requests;

        public bool Immediate { get; init; }

        public int Requests => Volatile.Read(ref _requests);

        public string? LastIp { get; private set; }

        public Exception? FailWith { get; set; }

        public void Release() => _release.TrySetResult();

        public async Task<BearerToken> RequestTokenAsync(string userId, string? ip, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _requests);
            LastIp = ip;
            if (FailWith is { } failure)
            {
                throw failure;
            }

            if (!Immediate)
            {
                await _release.Task;
            }

            return new BearerToken($"token-{userId}-{n}", time.GetUtcNow(), lifetime, ip);
        }
    }
}
