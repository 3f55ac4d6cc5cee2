using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Availability;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Pacing;
using OrderProcessor.Brokerage.PiTrade;
using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>What every user's stream shares: the guard's session, lease, pacing and token services, and the observer.</summary>
internal sealed class OrderStreamContext(
    BrokerageSessionManager sessions,
    IUserSessionAuthority authority,
    PacingGate pacing,
    PacingRuleBook rules,
    UserCallGates gates,
    BearerTokenCache tokens,
    IWebSocketConnector connector,
    IOrderStreamObserver observer,
    IOptionsMonitor<BrokerageOptions> options,
    BrokerageMetrics metrics,
    TimeProvider time,
    ILogger<UserOrderStream> logger,
    IIbkrAvailability? availability = null)
{
    private long _connections;

    public BrokerageSessionManager Sessions => sessions;

    public IUserSessionAuthority Authority => authority;

    public PacingGate Pacing => pacing;

    public PacingRuleBook Rules => rules;

    public UserCallGates Gates => gates;

    public BearerTokenCache Tokens => tokens;

    public IWebSocketConnector Connector => connector;

    public IOrderStreamObserver Observer => observer;

    public BrokerageOptions Options => options.CurrentValue;

    public StreamOptions Stream => options.CurrentValue.Stream;

    public BrokerageMetrics Metrics => metrics;

    public TimeProvider Time => time;

    public ILogger<UserOrderStream> Logger => logger;

    /// <summary>Whether IBKR is there for a user (maintenance windows, outages); null: always.</summary>
    public IIbkrAvailability? Availability => availability;

    /// <summary>A process-wide connection id: events of an old socket are told from the new one's.</summary>
    public long NextConnectionId() => Interlocked.Increment(ref _connections);
}
