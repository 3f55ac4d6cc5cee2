using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderProcessor.Brokerage;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Configuration;
using OrderProcessor.Consumers;
using OrderProcessor.Execution;
using OrderProcessor.Execution.Work;
using OrderProcessor.Health;
using OrderProcessor.Infrastructure;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;
using OrderProcessor.Telemetry;
using OrderProcessor.Upstreams;

namespace OrderProcessor;

/// <summary>Registers the whole processor: configuration, persistence, the brokerage guard, consumers, the broker worker, the status poller and the outbox relay.</summary>
public static class OrderProcessorServiceCollectionExtensions
{
    /// <summary>Health checks with this tag make up <c>/health/ready</c> (MassTransit's bus check has it too).</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddOrderProcessor(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<RabbitMqOptions>(configuration.GetSection(RabbitMqOptions.Section));
        services.AddValidatedOptions<ConsumerOptions>(configuration.GetSection(ConsumerOptions.Section));
        services.AddValidatedOptions<OutboxOptions>(configuration.GetSection(OutboxOptions.Section));
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) ?? string.Empty)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddValidatedOptions<LifecycleOptions>(configuration.GetSection(LifecycleOptions.Section));
        services.AddValidatedOptions<Audit.Checkpoints.AuditCheckpointOptions>(configuration.GetSection(Audit.Checkpoints.AuditCheckpointOptions.Section));
        services.AddSingleton<IValidateOptions<LifecycleOptions>, LifecycleOptionsValidator>();
        services.AddValidatedOptions<RiskOptions>(configuration.GetSection(RiskOptions.Section));
        // The lifecycle applies the reference-price checks in the what-if step: it takes Risk:WhenNoReferencePrice from there.
        services.AddOptions<LifecycleOptions>().PostConfigure<IOptions<RiskOptions>>((lifecycle, risk) =>
            lifecycle.AllowWithoutReferencePrice = risk.Value.WhenNoReferencePrice == WhenNoReferencePrice.Allow);

        // Pre-trade risk controls and the kill switch (issue 13): pass-through until their parts replace these.
        services.TryAddSingleton<Risk.IPreTradeRiskCheck, Risk.PreTradeRiskCheck>();
        services.TryAddSingleton<Halts.ITradingHalts, Halts.TradingHaltStore>();
        services.AddOrderProcessorDatabase();
        services.AddBrokerageGuard(configuration.GetSection(BrokerageOptions.SectionName));

        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<BrokerWorkSignal>();
        services.AddSingleton<LeaseReleaseSignal>();
        services.AddSingleton<IOrderStore, PostgresOrderStore>();
        services.AddBrokerWork();
        services.AddSingleton<SharedLiveOrders>();
        services.AddSingleton<SharedTrades>();
        services.AddSingleton<UserOrdersPoll>();

        // The order streams' reports become the observations the REST reads make, through the same writer; the intake
        // replaces the guard's NoOrderStreamObserver (TryAdd'ed) and takes every REST read's orders and every send's answer.
        services.AddSingleton<ObservationWriter>();
        services.AddSingleton<ReconcileSchedule>();
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<Execution.Streaming.OrderStreamIntake>(provider,
            (Func<UserOrdersPoll>)(() => provider.GetRequiredService<UserOrdersPoll>())));
        services.Replace(ServiceDescriptor.Singleton<IStreamedOrders>(provider => provider.GetRequiredService<Execution.Streaming.OrderStreamIntake>()));
        services.Replace(ServiceDescriptor.Singleton<Brokerage.Streaming.IOrderStreamObserver>(provider => provider.GetRequiredService<Execution.Streaming.OrderStreamIntake>()));
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<UserSessionOwnership>();
        services.Replace(ServiceDescriptor.Singleton<Brokerage.Sessions.IUserSessionAuthority>(provider => provider.GetRequiredService<UserSessionOwnership>()));
        services.AddOptions<UpstreamOptions>()
            .Bind(configuration.GetSection(UpstreamOptions.Section))
            .PostConfigure<IServiceProvider>((options, provider) =>
                // Open only where the host says Development; unknown (no host) counts as production.
                options.Authorization ??= provider.GetService<IHostEnvironment>()?.IsDevelopment() == true
                    ? UpstreamAuthorizationMode.Open
                    : UpstreamAuthorizationMode.Enforced)
            .Validate(o => o.CacheDuration > TimeSpan.Zero && o.CacheDuration <= TimeSpan.FromMinutes(5),
                "Upstreams:CacheDuration (Upstreams__CacheDuration) must be positive and at most 00:05:00.")
            .ValidateOnStart();
        services.AddSingleton<UpstreamAuthorization>();
        services.AddSingleton<ConsumerUnitOfWork>();
        services.AddSingleton<Inbox.InboxPruner>();
        services.AddSingleton<InactiveUserPruner>();
        services.AddSingleton<UserSessionLeaseKeeper>();
        services.AddSharedEgressBudget();
        services.AddSingleton<OutboxRelayStatus>();
        services.AddOrderProcessorTelemetry(configuration);
        services.AddHealthChecks()
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [ReadyTag])
            .AddCheck<DatabaseHealthCheck>("postgresql", tags: [ReadyTag])
            .AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: [ReadyTag])
            .AddCheck<OutboxLagHealthCheck>("outbox-lag", tags: [ReadyTag])
            .AddCheck<OutboxParkedHealthCheck>("outbox-parked", tags: [ReadyTag])
            .AddCheck<BrokerageHealthCheck>("brokerage-sessions", tags: [ReadyTag])
            .AddCheck<OrderStreamHealthCheck>("brokerage-stream", tags: [ReadyTag])
            .AddCheck<Brokerage.Diagnostics.IbkrAvailabilityHealthCheck>("ibkr-availability", tags: [ReadyTag])
            .AddCheck<AuditCheckpointHealthCheck>("audit-checkpoints", tags: [ReadyTag])
            .AddCheck<TradingHaltsHealthCheck>("trading-halts", tags: [ReadyTag]);
        services.AddSingleton<Audit.Checkpoints.AuditCheckpointStatus>();

        // The background services start in this order and stop in the reverse one, which is the clean stop:
        //   1. the command endpoints stop taking commands (what they received finishes, at most 15 s);
        //   2. the broker worker lets its IBKR calls finish and record their answers (at most Lifecycle:DrainTimeout);
        //   3. the status poller reads every held user's live orders a last time, so what the drained calls did (and
        //      any fill not yet seen) is recorded in this brokerage session, not settled from trades by the next holder;
        //   4. the lease keeper releases every user lease, so other instances take the users over at once;
        //   5. the outbox relay publishes what is left, the drain's events included;
        //   6. the bus stops.
        services.AddMessaging();
        if (configuration.GetValue(OutboxOptions.Section + ":" + nameof(OutboxOptions.RelayEnabled), true))
        {
            services.AddHostedService<OutboxRelay>();
        }

        services.AddHostedService(provider => provider.GetRequiredService<UserSessionLeaseKeeper>());
        services.AddHostedService(provider => provider.GetRequiredService<Inbox.InboxPruner>());
        services.AddHostedService(provider => provider.GetRequiredService<InactiveUserPruner>());
        services.AddHostedService<LeaseReleaseListener>();

        // The kill switch's cancel sweep (halts made with cancel working), on every instance.
        services.AddHostedService<Halts.HaltCancelSweeper>();
        services.AddHostedService<OrderStatusPoller>();
        services.AddHostedService<BrokerWorker>();
        services.AddHostedService<UpstreamAuthorizationReport>();
        services.AddHostedService<Audit.Checkpoints.AuditCheckpointService>();
        services.AddHostedService<CommandIntake>();

        // The host must wait for all of it; a second SIGTERM ends the process at once (see the host's Program).
        // Read from the configuration, not through IOptions: the host resolves HostOptions while it is being built,
        // before the settings are validated (all of them at once, each naming its key) at start.
        services.AddOptions<HostOptions>().Configure(host => host.ShutdownTimeout = ShutdownTimeout(configuration));
        return services;
    }

    /// <summary>
    /// How long a clean stop may take: the command endpoints, twice the drain (the IBKR calls, then the last read of the
    /// users' live orders), twice the outbox's last flush, and 15 s for the rest. A container's stop grace period
    /// (docker-compose.yml's <c>stop_grace_period</c>) must be longer, or the stop ends in a SIGKILL.
    /// </summary>
    public static TimeSpan ShutdownTimeout(IConfiguration configuration)
    {
        var lifecycle = BoundOrDefault<LifecycleOptions>(configuration, LifecycleOptions.Section);
        var outbox = BoundOrDefault<OutboxOptions>(configuration, OutboxOptions.Section);
        return CommandIntake.StopTimeout + 2 * lifecycle.DrainTimeout + 2 * outbox.ShutdownFlushTimeout + TimeSpan.FromSeconds(15);
    }

    /// <summary>
    /// The section's options, or the defaults when a value cannot be converted (a word where a duration belongs): the
    /// start-up validation of the same options then stops the host naming the key, instead of a crash while building.
    /// </summary>
    private static TOptions BoundOrDefault<TOptions>(IConfiguration configuration, string section)
        where TOptions : class, new()
    {
        try
        {
            return configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        }
        catch (InvalidOperationException)
        {
            return new TOptions();
        }
    }

    /// <summary>
    /// The bus: the command consumers (their endpoints are connected by <see cref="CommandIntake"/> once the bus runs),
    /// one node or a cluster, quorum or classic queues.
    /// </summary>
    private static void AddMessaging(this IServiceCollection services)
    {
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        services.AddMassTransit(bus =>
        {
            // Readiness uses RabbitMqHealthCheck instead: MassTransit's check reports a broker outage as merely degraded.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "masstransit-bus";
                health.Tags.Clear();
                health.Tags.Add("masstransit");
            });
            bus.AddConsumer<PlaceOrderConsumer, PlaceOrderConsumerDefinition>();
            bus.AddConsumer<CancelOrderConsumer, CancelOrderConsumerDefinition>();
            bus.AddConsumer<ModifyOrderConsumer, ModifyOrderConsumerDefinition>();
            bus.AddConsumer<MarginCheckConsumer, MarginCheckConsumerDefinition>();
            bus.AddConsumer<HaltTradingConsumer, HaltTradingConsumerDefinition>();
            bus.AddConsumer<ResumeTradingConsumer, ResumeTradingConsumerDefinition>();
            bus.UsingRabbitMq((context, rabbit) => rabbit.ConnectTo(context.GetRequiredService<IOptions<RabbitMqOptions>>().Value));
        });
    }

    /// <summary>
    /// Shares the guard's egress-IP budget and 429 pause with every processor on the same database
    /// (<see cref="Egress.PostgresEgressBudget"/>): after <c>AddBrokerageGuard</c> and <see cref="AddOrderProcessorDatabase"/>.
    /// Its heartbeat starts before the guard is used, so a new process never begins with the whole budget.
    /// </summary>
    public static IServiceCollection AddSharedEgressBudget(this IServiceCollection services)
    {
        services.TryAddSingleton<Egress.PostgresEgressBudget>();
        services.Replace(ServiceDescriptor.Singleton<Brokerage.Pacing.IEgressBudgetCoordinator>(provider => provider.GetRequiredService<Egress.PostgresEgressBudget>()));
        services.AddHostedService(provider => provider.GetRequiredService<Egress.PostgresEgressBudget>());
        return services;
    }

    /// <summary>The DbContext factory alone, for tools (CLI, tests) that read or migrate the database.</summary>
    public static IServiceCollection AddOrderProcessorDatabase(this IServiceCollection services)
    {
        services.AddPooledDbContextFactory<OrderProcessorDbContext>((provider, db) =>
        {
            var connectionString = WithPreparedStatements(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString);
            db.UseOrderProcessorDatabase(connectionString)
                // EF Core logs every failed SaveChanges as an error with its stack trace, the expected ones too: two writers
                // of one order meet (the stream's report and the send's answer), one is decided again (counted as
                // orderprocessor.saga.conflicts). Whoever catches a failure logs it; EF's own line is Debug.
                .ConfigureWarnings(warnings => warnings.Log((CoreEventId.SaveChangesFailed, LogLevel.Debug)));
        });
        return services;
    }

    /// <summary>
    /// The processor runs the same few statements for every order: prepared once per connection, PostgreSQL stops
    /// parsing and planning them each time (measured: most of its CPU per order). A connection string that sets
    /// <c>Max Auto Prepare</c> itself (e.g. 0 behind a pooler that cannot keep prepared statements) wins.
    /// <para>
    /// And a pooled connection is not reset each time it goes back to the pool: the reset (<c>RESET ALL; CLOSE ALL;
    /// UNLISTEN *; …</c>) went out before the next statement, about four times per order. Nothing on these connections
    /// keeps session state: locks are per transaction (<c>pg_advisory_xact_lock</c>), <c>LISTEN</c> and session locks
    /// use connections of their own, and an open transaction is still rolled back when a connection is returned. A
    /// connection string that sets <c>No Reset On Close</c> itself wins.
    /// </para>
    /// </summary>
    private static string WithPreparedStatements(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets(connectionString, "Auto Prepare", "AutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!Sets(connectionString, "No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;

        static bool Sets(string connectionString, params string[] keys) =>
            keys.Any(key => connectionString.Contains(key, StringComparison.OrdinalIgnoreCase));
    }

    private static void AddValidatedOptions<TOptions>(this IServiceCollection services, IConfigurationSection section)
        where TOptions : class =>
        services.AddOptions<TOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
}
