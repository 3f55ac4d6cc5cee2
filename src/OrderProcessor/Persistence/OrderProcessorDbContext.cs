using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using OrderProcessor.Orders;

namespace OrderProcessor.Persistence;

/// <summary>The service's schema: the order sagas, the inbox and the retained outbox.</summary>
public sealed class OrderProcessorDbContext : DbContext
{
    public OrderProcessorDbContext(DbContextOptions<OrderProcessorDbContext> options)
        : base(options)
    {
        // EF wraps every SaveChanges inside our own transactions in a savepoint (two more round trips each), so that a
        // failed save could be retried in the same transaction. None is: a failed unit of work is decided again in a
        // new transaction on a fresh read (conflicts, DatabaseRetry), so the savepoints only cost.
        Database.AutoSavepointsEnabled = false;
    }

    private LeaseFenceCall? _leaseFence;
    private RateSpendCall? _rateSpend;
    private OutboxInsert? _outboxRows;
    private InboxInsert? _inboxRow;

    /// <summary>Whether each kind of statement is armed for the next save (see <see cref="SaveCommandAppendix{TArmed}"/>).</summary>
    internal bool LeaseFenceArmed => _leaseFence is not null;

    internal bool RateSpendArmed => _rateSpend is not null;

    internal bool InboxRowArmed => _inboxRow is not null;

    internal bool OutboxRowsArmed => _outboxRows is not null;

    public DbSet<OrderSaga> Orders => Set<OrderSaga>();
    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<UserSessionLease> UserSessionLeases => Set<UserSessionLease>();
    public DbSet<EarlyCancelEntry> EarlyCancels => Set<EarlyCancelEntry>();
    public DbSet<ProcessorInstance> Instances => Set<ProcessorInstance>();
    public DbSet<MarginCheckRequest> MarginChecks => Set<MarginCheckRequest>();
    public DbSet<UpstreamGrant> UpstreamGrants => Set<UpstreamGrant>();
    public DbSet<RiskLimitRow> RiskLimits => Set<RiskLimitRow>();
    public DbSet<RiskRateBucket> RiskRateBuckets => Set<RiskRateBucket>();
    public DbSet<TradingHaltRow> TradingHalts => Set<TradingHaltRow>();

    /// <summary>
    /// Arms a lease fence for the next command this context sends (<see cref="LeaseFenceInterceptor"/>): the first command
    /// of a save, which then writes only while the lease is held. <see cref="TakeLeaseFence"/> disarms it.
    /// </summary>
    public void ArmLeaseFence(LeaseFenceCall fence) => _leaseFence = fence;

    /// <summary>The armed fence, if any, now disarmed: a pooled context never carries one to its next user.</summary>
    public LeaseFenceCall? TakeLeaseFence()
    {
        var fence = _leaseFence;
        _leaseFence = null;
        return fence;
    }

    /// <summary>
    /// Whether order-rate tokens may be spent with this context's next save (<see cref="ArmRateSpend"/>) instead of before
    /// the decision: set by the unit of work that saves, on a command's first attempt.
    /// </summary>
    public bool SpendsRatesWithTheSave { get; set; }

    /// <summary>
    /// Arms a rate spend for the first command of the next save (<see cref="RateSpendInterceptor"/>).
    /// <see cref="TakeRateSpend"/> disarms it.
    /// </summary>
    public void ArmRateSpend(RateSpendCall spend) => _rateSpend = spend;

    /// <summary>The armed rate spend, if any, now disarmed.</summary>
    public RateSpendCall? TakeRateSpend()
    {
        var spend = _rateSpend;
        _rateSpend = null;
        return spend;
    }

    /// <summary>
    /// Arms an outbox row for the next save (<see cref="OutboxInsertInterceptor"/>); the rows armed before that save go in
    /// one statement, in the order armed. <see cref="TakeOutboxRows"/> disarms them.
    /// </summary>
    public void ArmOutboxRow(OutboxMessage row) => (_outboxRows ??= new OutboxInsert()).Add(row);

    /// <summary>The armed outbox rows, if any, now disarmed.</summary>
    public OutboxInsert? TakeOutboxRows()
    {
        var rows = _outboxRows;
        _outboxRows = null;
        return rows;
    }

    /// <summary>
    /// Arms a command's inbox row for the next save (<see cref="InboxInsertInterceptor"/>); <see cref="TakeInboxRow"/>
    /// disarms it. One per unit of work: a second would be a second message, which no unit of work records.
    /// </summary>
    public void ArmInboxRow(InboxMessage row) => _inboxRow = _inboxRow is null
        ? new InboxInsert(row)
        : throw new InvalidOperationException($"An inbox row ({_inboxRow.Row.MessageId}) is already armed for this save.");

    /// <summary>The armed inbox row, if any, now disarmed.</summary>
    public InboxInsert? TakeInboxRow()
    {
        var row = _inboxRow;
        _inboxRow = null;
        return row;
    }

    // Rows still armed after a save: it sent no command to end with them (nothing else changed: a refusal that writes
    // only its event, a repeated order that writes only its inbox row), or the context has no interceptors. They are
    // saved as entities, by a second save that the statements still armed (the lease fence, the rate spend) end as they
    // would have ended the first.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var written = base.SaveChanges(acceptAllChangesOnSuccess);
        return TrackUnsentRows() ? written + base.SaveChanges(acceptAllChangesOnSuccess) : written;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (OrderUpdates(committedByItself: false) is { } updates)
        {
            return await RunAsync(updates, acceptAllChangesOnSuccess, cancellationToken);
        }

        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        return TrackUnsentRows() ? written + await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken) : written;
    }

    /// <summary>
    /// Saves and commits, with no transaction of the caller's, when the only changes are orders modified in place: one
    /// command that PostgreSQL commits at its end unless a statement of it raised (<see cref="OrderUpdateSave"/>), ended
    /// by what is armed (the lease fence included). False, with nothing sent, when this save is not such a one: the caller
    /// then saves in a transaction of its own.
    /// </summary>
    internal async Task<bool> TrySaveOrderUpdatesCommittedAsync(CancellationToken cancellationToken)
    {
        if (OrderUpdates(committedByItself: true) is not { } updates)
        {
            return false;
        }

        await RunAsync(updates, acceptAllChangesOnSuccess: true, cancellationToken);
        return true;
    }

    private OrderUpdateSave? OrderUpdates(bool committedByItself)
    {
        LastSaveWroteOrdersItself = false;
        return WritesOrderUpdatesItself && HasSaveCommandAppendices ? OrderUpdateSave.TryPrepare(this, committedByItself) : null;
    }

    private async Task<int> RunAsync(OrderUpdateSave updates, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var updated = await updates.RunAsync(acceptAllChangesOnSuccess, cancellationToken);
        LastSaveWroteOrdersItself = true;
        return updated;
    }

    /// <summary>
    /// Whether a save whose only changes are orders modified in place is written by <see cref="OrderUpdateSave"/> rather
    /// than EF's update pipeline (the default); a pooled context is handed out with the default again.
    /// </summary>
    public bool WritesOrderUpdatesItself { get; set; } = true;

    /// <summary>Whether the last save on this context was written by <see cref="OrderUpdateSave"/> and succeeded (for the tests).</summary>
    internal bool LastSaveWroteOrdersItself { get; private set; }

    // The hand-written save ends its command with the same statements the interceptors append to EF's, so it runs only
    // where they are configured (everywhere but a context built without UseOrderProcessorDatabase).
    private bool HasSaveCommandAppendices => _hasSaveCommandAppendices ??=
        this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.Contains(LeaseFenceInterceptor.Instance) == true;

    private bool? _hasSaveCommandAppendices;

    private bool TrackUnsentRows()
    {
        var (inbox, outbox) = (TakeInboxRow(), TakeOutboxRows());
        if (inbox is not null)
        {
            Inbox.Add(inbox.Row);
        }

        if (outbox is not null)
        {
            Outbox.AddRange(outbox.Rows);
        }

        return inbox is not null || outbox is not null;
    }

    public override void Dispose()
    {
        Disarm();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        Disarm();
        return base.DisposeAsync();
    }

    // A pooled context never carries what was armed, or the permission to defer a spend, to its next user.
    private void Disarm()
    {
        _leaseFence = null;
        _rateSpend = null;
        _outboxRows = null;
        _inboxRow = null;
        SpendsRatesWithTheSave = false;
        WritesOrderUpdatesItself = true;
        LastSaveWroteOrdersItself = false;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OrderSaga>(order =>
        {
            order.ToTable("orders");
            order.HasKey(o => o.OrderId);
            order.HasIndex(o => o.ClientOrderId).IsUnique();
            // Status first: the status poll asks every second which users have orders in a few open states, among
            // orders that are nearly all final; user first, that question scanned the whole table.
            order.HasIndex(o => new { o.Status, o.UserId });
            order.Property(o => o.ClientOrderId).HasMaxLength(64);
            order.Property(o => o.UserId).HasMaxLength(128);
            order.Property(o => o.AccountId).HasMaxLength(64);
            order.Property(o => o.OcaGroup).HasMaxLength(128);
            order.Property(o => o.BrokerOrderId).HasMaxLength(64);
            order.Property(o => o.CommandFingerprint).HasMaxLength(64);
            order.Property(o => o.LastEventHash).HasMaxLength(64);
            order.Property(o => o.Side).HasConversion<string>().HasMaxLength(16);
            order.Property(o => o.OrderType).HasConversion<string>().HasMaxLength(24);
            order.Property(o => o.TrailingUnit).HasConversion<string>().HasMaxLength(16);
            order.Property(o => o.TimeInForce).HasConversion<string>().HasMaxLength(24);
            order.Property(o => o.MarginCheck).HasConversion<string>().HasMaxLength(32);
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(24);
            order.Property(o => o.BrokerStatus).HasMaxLength(32);
            order.Property(o => o.TraceParent).HasMaxLength(128);
            order.Property(o => o.WorkDue).HasConversion<string>().HasMaxLength(16);
            order.Property(o => o.PendingModification).HasColumnType("jsonb");
            // The IBKR ticket fields of issue 16, nullable or false for orders placed before them. Quantities stay numeric
            // (decimal end to end); the algorithm's parameters are one jsonb object of strings, as IBKR takes them.
            order.Property(o => o.SecurityType).HasConversion<string>().HasMaxLength(16);
            order.Property(o => o.ListingExchange).HasMaxLength(16);
            order.Property(o => o.Conidex).HasMaxLength(64);
            order.Property(o => o.AlgoStrategy).HasMaxLength(64);
            order.Property(o => o.AlgoParameters).HasColumnType("jsonb");
            order.HasIndex(o => o.WorkDueAt).HasFilter("work_due <> 'None'");
            // Every row version of an order is a new entry in each of its indexes (a status change is never a HOT update),
            // so an index pays on every write: this one holds only the orders sent with a leader (legs, OCA members), the
            // rows its lookups by leader can match. No query looks orders up by parent_order_id, which has no index.
            order.HasIndex(o => o.SubmittedWithOrderId).HasFilter("submitted_with_order_id IS NOT NULL");
            order.Property(o => o.Version).IsRowVersion();

            // Risk controls: the working orders of an account per contract and side, and an account's recent orders (duplicates).
            order.HasIndex(o => new { o.AccountId, o.Conid, o.Side })
                .HasDatabaseName("ix_orders_working_by_contract")
                .HasFilter(Risk.WorkingOrdersCounter.StatusFilter);
            order.HasIndex(o => new { o.AccountId, o.CreatedAt })
                .HasDatabaseName("ix_orders_recent_by_account");
        });

        modelBuilder.Entity<MarginCheckRequest>(check =>
        {
            check.ToTable("margin_checks");
            check.HasKey(c => c.CheckId);
            check.Property(c => c.UserId).HasMaxLength(128);
            check.Property(c => c.AccountId).HasMaxLength(64);
            check.Property(c => c.Command).HasColumnType("jsonb");
            check.Property(c => c.ResponseAddress).HasMaxLength(512);
            check.Property(c => c.TraceParent).HasMaxLength(128);
            check.HasIndex(c => c.DueAt).HasFilter("answered_at IS NULL");
            check.HasIndex(c => c.CreatedAt);
            check.Property(c => c.Version).IsRowVersion();
        });

        modelBuilder.Entity<ProcessorInstance>(instance =>
        {
            instance.ToTable("processor_instances");
            instance.HasKey(i => i.InstanceId);
            instance.Property(i => i.InstanceId).HasMaxLength(64);
        });

        modelBuilder.Entity<EgressBudgetMember>(member =>
        {
            member.ToTable("egress_budget_members");
            member.HasKey(m => new { m.EgressKey, m.MemberId });
            member.Property(m => m.EgressKey).HasMaxLength(64);
        });

        modelBuilder.Entity<EgressBudgetState>(state =>
        {
            state.ToTable("egress_budget_state");
            state.HasKey(s => s.EgressKey);
            state.Property(s => s.EgressKey).HasMaxLength(64);
        });

        modelBuilder.Entity<EarlyCancelEntry>(cancel =>
        {
            cancel.ToTable("early_cancels");
            cancel.HasKey(c => c.OrderId);
            cancel.Property(c => c.UserId).HasMaxLength(128);
            cancel.Property(c => c.Reason).HasMaxLength(256);
            cancel.Property(c => c.Upstream).HasMaxLength(128);
            cancel.HasIndex(c => c.ReceivedAt);
        });

        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("inbox_messages");
            inbox.HasKey(i => new { i.MessageId, i.Consumer });
            inbox.Property(i => i.Consumer).HasMaxLength(128);
            inbox.HasIndex(i => i.ProcessedAt);
            inbox.Property(i => i.ContentHash).HasMaxLength(64);
        });

        modelBuilder.Entity<UpstreamGrant>(grant =>
        {
            grant.ToTable("upstream_grants");
            grant.HasKey(g => new { g.Upstream, g.UserPattern, g.AccountPattern });
            grant.Property(g => g.Upstream).HasMaxLength(128);
            grant.Property(g => g.UserPattern).HasMaxLength(128);
            grant.Property(g => g.AccountPattern).HasMaxLength(128);
        });

        modelBuilder.Entity<UserSessionLease>(lease =>
        {
            lease.ToTable("user_session_leases");
            lease.HasKey(l => l.UserId);
            lease.Property(l => l.UserId).HasMaxLength(128);
            lease.Property(l => l.Owner).HasMaxLength(128);

            // Not for lookups: it makes the epoch a key column, so a takeover (a new epoch) takes the row lock that waits
            // for the writes fenced on the lease (FOR KEY SHARE), while a renewal (same epoch) waits for none of them.
            lease.HasIndex(l => new { l.UserId, l.Epoch }).IsUnique();
        });

        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(o => o.Sequence);
            outbox.Property(o => o.Sequence).UseIdentityByDefaultColumn();
            outbox.HasIndex(o => o.MessageId).IsUnique();
            outbox.HasIndex(o => new { o.OrderId, o.OrderSequence })
                .IsUnique()
                .HasFilter("order_sequence > 0");
            outbox.HasIndex(o => o.Sequence)
                .HasDatabaseName("ix_outbox_messages_unpublished")
                .HasFilter("published_at IS NULL");
            outbox.HasIndex(o => new { o.OrderId, o.Sequence })
                .HasDatabaseName("ix_outbox_messages_unpublished_by_order")
                .HasFilter("published_at IS NULL");
            // The few parked rows, for the health check, the gauge and `orders outbox parked`.
            outbox.HasIndex(o => o.Sequence, "ix_outbox_messages_parked")
                .HasDatabaseName("ix_outbox_messages_parked")
                .HasFilter("parked_at IS NOT NULL");
            outbox.HasIndex(o => o.CreatedAt);
            outbox.Property(o => o.ParkReason).HasMaxLength(1000);
            outbox.Property(o => o.MessageType).HasMaxLength(64);
            outbox.Property(o => o.Body).HasColumnType("json");
            outbox.Property(o => o.PreviousHash).HasMaxLength(64);
            outbox.Property(o => o.ResponseAddress).HasMaxLength(512);
            outbox.Property(o => o.TraceParent).HasMaxLength(128);
            outbox.Property(o => o.Hash).HasMaxLength(64);
        });

        modelBuilder.ApplyConfiguration(new RiskLimitRowConfiguration());
        modelBuilder.ApplyConfiguration(new RiskRateBucketConfiguration());
        modelBuilder.ApplyConfiguration(new TradingHaltRowConfiguration());
    }
}
