using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Pacing;
using OrderProcessor.Persistence;

namespace OrderProcessor.Egress;

/// <summary>
/// Shares the egress IP's IBKR budget and its 429 pause between every processor behind that IP, through PostgreSQL.
/// Each process beats a heartbeat in <c>egress_budget_members</c> (every <c>Brokerage:Pacing:SharedBudgetHeartbeat</c>)
/// and, in the same round trip, counts the live members and reads the shared pause in <c>egress_budget_state</c>; the
/// pacing gate reads the result from memory (no round trip per request). A 429 is written at once (this process then
/// owns the one probe); so is the probe's success, which starts every member's ramp. Times cross processes as
/// durations measured on the database's clock and are turned into this process's monotonic clock when read.
/// </summary>
public sealed partial class PostgresEgressBudget(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    IOptionsMonitor<BrokerageOptions> options,
    TimeProvider time,
    ILogger<PostgresEgressBudget> logger) : BackgroundService, IEgressBudgetCoordinator
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Lock _sync = new();
    private EgressBudgetView _view = EgressBudgetView.Alone;
    private TimeSpan? _pauseToWrite;
    private bool _probeSuccessToWrite;
    private long _joiningUntil;

    // When the last beat succeeded (monotonic; 0: never). Without a recent beat this process cannot know how many share
    // the IP, and the others may already have dropped it from their count and taken its share: it sends as a newcomer.
    private long _lastBeatAt;

    /// <summary>This process among the members (a new id at every start).</summary>
    public Guid MemberId { get; } = Guid.NewGuid();

    public EgressBudgetView Current
    {
        get
        {
            var view = Volatile.Read(ref _view);
            var now = time.GetTimestamp();
            var lastBeat = Volatile.Read(ref _lastBeatAt);
            var unsure = lastBeat == 0 || now - lastBeat > Ticks(options.CurrentValue.Pacing.SharedBudgetMemberTimeout.TotalSeconds);
            return unsure || now < Volatile.Read(ref _joiningUntil)
                ? view with { Instances = Math.Max(view.Instances, options.CurrentValue.Pacing.PerEgressIpPerSecond) }
                : view;
        }
    }

    private string EgressKey => options.CurrentValue.PiTrade.EgressIp ?? "default";

    public void TooManyRequestsSeen(TimeSpan pause)
    {
        lock (_sync)
        {
            _pauseToWrite = pause;
            _probeSuccessToWrite = false;
        }

        _wake.Release();
    }

    public void ProbeSucceeded()
    {
        lock (_sync)
        {
            _probeSuccessToWrite = true;
        }

        _wake.Release();
    }

    /// <summary>
    /// Joins before the guard sends anything, so a new process starts with its share, not the whole budget. When others
    /// are there already, it sends at 1 request per second until they have seen it (one heartbeat); its share then grows
    /// one window later (the pacing gate delays every growth by a window), once their sends at the larger share have left
    /// IBKR's one-second window: joining never pushes the IP over its budget, and the start is not held up.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await BeatAsync(cancellationToken);
            if (_view.Instances > 1)
            {
                Volatile.Write(ref _joiningUntil, time.GetTimestamp() + Ticks(options.CurrentValue.Pacing.SharedBudgetHeartbeat.TotalSeconds * 2));
            }
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or TimeoutException)
        {
            LogBeatFailed(exception);
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Leave at once: the others take this share on their next beat instead of after the member timeout.
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"DELETE FROM egress_budget_members WHERE egress_key = {EgressKey} AND member_id = {MemberId}", cancellationToken);
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or OperationCanceledException or TimeoutException)
        {
            LogBeatFailed(exception);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // A 429 or a probe's success wakes the loop at once; otherwise one beat per heartbeat period.
            try
            {
                await _wake.WaitAsync(options.CurrentValue.Pacing.SharedBudgetHeartbeat, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The last view stays: the local pause and pacing still hold; the share may be stale until the next beat.
                LogBeatFailed(exception);
            }
        }
    }

    /// <summary>One round trip: what this process has to tell, its heartbeat, and the shared view read back.</summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        TimeSpan? pause;
        bool probeSucceeded;
        lock (_sync)
        {
            (pause, probeSucceeded) = (_pauseToWrite, _probeSuccessToWrite);
            (_pauseToWrite, _probeSuccessToWrite) = (null, false);
        }

        try
        {
            await BeatOnceAsync(pause, probeSucceeded, cancellationToken);
        }
        catch
        {
            // Not told: kept for the next beat (unless a newer pause or probe came meanwhile), so a 429 this process saw
            // still reaches the others.
            lock (_sync)
            {
                _pauseToWrite ??= pause;
                _probeSuccessToWrite |= probeSucceeded && _pauseToWrite is null;
            }

            throw;
        }
    }

    private async Task BeatOnceAsync(TimeSpan? pause, bool probeSucceeded, CancellationToken cancellationToken)
    {
        var key = EgressKey;
        var timeout = options.CurrentValue.Pacing.SharedBudgetMemberTimeout.TotalSeconds;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            WITH told_pause AS (
                INSERT INTO egress_budget_state (egress_key, pause_epoch, paused_until, probe_owner, ramp_started_at)
                SELECT @key, 1, clock_timestamp() + make_interval(secs => @pause), @me, NULL WHERE @pause IS NOT NULL
                ON CONFLICT (egress_key) DO UPDATE SET
                    pause_epoch = egress_budget_state.pause_epoch + 1,
                    paused_until = excluded.paused_until,
                    probe_owner = excluded.probe_owner,
                    ramp_started_at = NULL
                RETURNING pause_epoch, paused_until, probe_owner, ramp_started_at
            ), told_ramp AS (
                UPDATE egress_budget_state SET ramp_started_at = clock_timestamp()
                WHERE egress_key = @key AND probe_owner = @me AND ramp_started_at IS NULL AND @probeSucceeded AND @pause IS NULL
                RETURNING pause_epoch, paused_until, probe_owner, ramp_started_at
            ), beat AS (
                INSERT INTO egress_budget_members (egress_key, member_id, heartbeat_at) VALUES (@key, @me, clock_timestamp())
                ON CONFLICT (egress_key, member_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
                RETURNING 1
            ), state AS (
                SELECT * FROM told_pause
                UNION ALL SELECT * FROM told_ramp WHERE NOT EXISTS (SELECT 1 FROM told_pause)
                UNION ALL SELECT pause_epoch, paused_until, probe_owner, ramp_started_at FROM egress_budget_state
                    WHERE egress_key = @key AND NOT EXISTS (SELECT 1 FROM told_pause) AND NOT EXISTS (SELECT 1 FROM told_ramp)
            )
            SELECT
                (SELECT count(*) FROM egress_budget_members m
                    WHERE m.egress_key = @key AND m.member_id <> @me AND m.heartbeat_at > clock_timestamp() - make_interval(secs => @timeout))::int + 1,
                s.pause_epoch,
                s.probe_owner,
                extract(epoch FROM s.paused_until - clock_timestamp())::float8,
                extract(epoch FROM clock_timestamp() - s.ramp_started_at)::float8
            FROM (SELECT 1) AS one LEFT JOIN state s ON true
            """;
        Add(command, "key", key);
        Add(command, "me", MemberId);
        Add(command, "pause", pause?.TotalSeconds);
        Add(command, "probeSucceeded", probeSucceeded);
        Add(command, "timeout", timeout);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return;
        }

        var now = time.GetTimestamp();
        var members = reader.GetInt32(0);
        var epoch = reader.IsDBNull(1) ? 0L : reader.GetInt64(1);
        var ours = reader.IsDBNull(2) || reader.GetGuid(2) == MemberId;
        long? pausedUntil = reader.IsDBNull(3) ? null : now + Ticks(reader.GetDouble(3));
        long? rampStartedAt = reader.IsDBNull(4) ? null : now - Ticks(reader.GetDouble(4));
        var previous = Volatile.Read(ref _view);
        Volatile.Write(ref _view, new EgressBudgetView(members, epoch, ours, pausedUntil, rampStartedAt));
        Volatile.Write(ref _lastBeatAt, now);
        if (members != previous.Instances)
        {
            LogMembersChanged(key, members, options.CurrentValue.Pacing.PerEgressIpPerSecond / members);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (value is null)
        {
            parameter.DbType = System.Data.DbType.Double;
        }

        command.Parameters.Add(parameter);
    }

    private long Ticks(double seconds) => (long)(seconds * time.TimestampFrequency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Egress IP {EgressKey} is shared by {Members} processor(s); this one now takes {Share} requests per second")]
    private partial void LogMembersChanged(string egressKey, int members, int share);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sharing the egress IP's budget through PostgreSQL failed; keeping the last known share and pause")]
    private partial void LogBeatFailed(Exception exception);
}
