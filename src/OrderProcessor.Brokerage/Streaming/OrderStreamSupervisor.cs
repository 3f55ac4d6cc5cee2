using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>
/// The guard's <see cref="IOrderStreams"/>: one <see cref="UserOrderStream"/> per followed user, closed
/// <c>Brokerage:Stream:IdleCloseAfter</c> after the processor unfollowed it. With <c>Brokerage:Stream:Enabled=false</c>
/// no socket is opened and every user is <see cref="OrderStreamState.PollingOnly"/>, as before the socket existed.
/// </summary>
internal sealed class OrderStreamSupervisor : BackgroundService, IOrderStreams
{
    private readonly ConcurrentDictionary<string, UserOrderStream> _streams = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private readonly OrderStreamContext _context;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private bool _stopped;

    public OrderStreamSupervisor(OrderStreamContext context, IOptionsMonitor<BrokerageOptions> options)
    {
        _context = context;
        _options = options;
        context.Metrics.ObserveStreams(States, OldestHeartbeatAgeSeconds);
    }

    private bool Enabled => _options.CurrentValue.Stream.Enabled;

    public void Follow(string userId, long leaseEpoch)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (!Enabled)
        {
            return;
        }

        if (_streams.TryGetValue(userId, out var existing))
        {
            existing.Follow(leaseEpoch);
            return;
        }

        lock (_sync)
        {
            if (_stopped)
            {
                return;
            }

            if (_streams.TryGetValue(userId, out existing))
            {
                existing.Follow(leaseEpoch);
                return;
            }

            var stream = new UserOrderStream(userId, leaseEpoch, _context);
            _streams[userId] = stream;
            stream.Start();
        }
    }

    public void Unfollow(string userId)
    {
        if (_streams.TryGetValue(userId, out var stream))
        {
            stream.MarkUnfollowed(_context.Time.GetUtcNow());
        }
    }

    public OrderStreamState StateOf(string userId)
    {
        if (_streams.TryGetValue(userId, out var stream))
        {
            return stream.State;
        }

        return Enabled ? OrderStreamState.NotFollowed : OrderStreamState.PollingOnly;
    }

    /// <summary>The followed users' states, for the gauges and the health check.</summary>
    public IEnumerable<OrderStreamState> States() => _streams.Values.Select(static s => s.State);

    public int Count => _streams.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _context.Time, stoppingToken);
                await CloseIdleAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync closes the sockets.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        UserOrderStream[] streams;
        lock (_sync)
        {
            _stopped = true;
            streams = [.. _streams.Values];
            _streams.Clear();
        }

        await Task.WhenAll(streams.Select(static s => s.DisposeAsync().AsTask()));
    }

    /// <summary>Closes the sockets of users unfollowed for longer than <c>IdleCloseAfter</c>.</summary>
    internal async Task CloseIdleAsync()
    {
        var cutoff = _context.Time.GetUtcNow() - _options.CurrentValue.Stream.IdleCloseAfter;
        var closing = new List<UserOrderStream>();
        lock (_sync)
        {
            foreach (var stream in _streams.Values)
            {
                if ((stream.UnfollowedAt is { } since && since <= cutoff) || !Enabled)
                {
                    _streams.TryRemove(new KeyValuePair<string, UserOrderStream>(stream.UserId, stream));
                    closing.Add(stream);
                }
            }
        }

        await Task.WhenAll(closing.Select(static s => s.DisposeAsync().AsTask()));
    }

    private double OldestHeartbeatAgeSeconds() =>
        _streams.Values.Select(static s => s.HeartbeatAge?.TotalSeconds ?? 0).DefaultIfEmpty(0).Max();
}
