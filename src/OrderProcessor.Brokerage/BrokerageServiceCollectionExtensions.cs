using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Availability;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Http;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Ibkr.Accounts;
using OrderProcessor.Brokerage.Ibkr.Json;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Brokerage.Ibkr.Questions;
using OrderProcessor.Brokerage.Ibkr.Session;
using OrderProcessor.Brokerage.Pacing;
using OrderProcessor.Brokerage.PiTrade;
using OrderProcessor.Brokerage.Resilience;
using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Brokerage.Streaming;
using Polly;
using Polly.Timeout;
using Refit;

namespace OrderProcessor.Brokerage;

public static class BrokerageServiceCollectionExtensions
{
    /// <summary>Name of the HttpClient that carries all IBKR traffic (retries, then a circuit per user and endpoint group).</summary>
    public const string IbkrHttpClientName = "OrderProcessor.Brokerage.Ibkr";

    /// <summary>
    /// Registers the brokerage guard: <see cref="IBrokerageGateway"/>, <see cref="IBrokerageSessionMonitor"/>, the typed IBKR
    /// client (<see cref="ISessionApi"/>, <see cref="IAccountsApi"/>, <see cref="IOrdersApi"/>, <see cref="IQuestionsApi"/>)
    /// and the tickle loop, with options bound from <paramref name="section"/> (normally "Brokerage") and validated at start.
    /// </summary>
    public static IServiceCollection AddBrokerageGuard(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        if (services.Any(static d => d.ServiceType == typeof(BrokerageGuardMarker)))
        {
            return services;
        }

        services.AddSingleton<BrokerageGuardMarker>();

        services.AddOptions<BrokerageOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BrokerageOptions>, BrokerageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // IBKR's maintenance windows and outages (Brokerage:Maintenance): while IBKR is unavailable for a user nothing of
        // the user's is sent (IbkrUnavailableException before the session, the retries and the circuit), tickles and the
        // stream pause, and one probe per ProbeInterval says when it is back. Enabled=false: always available, as before.
        services.AddOptions<MaintenanceOptions>()
            .Configure(options => MaintenanceBinding.Bind(section.GetSection("Maintenance"), options))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MaintenanceOptions>, MaintenanceOptionsValidator>());
        services.TryAddSingleton<IbkrAvailability>();
        services.TryAddSingleton<IIbkrAvailability>(sp => sp.GetRequiredService<IbkrAvailability>());
        services.AddHostedService<AvailabilityProbeService>();

        services.AddMetrics();
        services.TryAddSingleton<BrokerageMetrics>();
        services.TryAddSingleton<PartnerJwtIssuer>();
        services.TryAddSingleton<PartnerStatus>();
        services.TryAddSingleton<BearerTokenCache>();
        services.TryAddSingleton<PacingRuleBook>();
        services.TryAddSingleton<IEgressBudgetCoordinator, SingleProcessEgressBudget>();
        services.TryAddSingleton<PacingGate>();
        services.TryAddSingleton<UserCallGates>();
        services.TryAddSingleton<UserFailureDomains>();
        services.TryAddSingleton<IUserFailureDomains>(sp => sp.GetRequiredService<UserFailureDomains>());
        services.TryAddSingleton<QuestionPolicy>();
        services.TryAddSingleton<IUserSessionAuthority, EveryUserAuthority>();
        services.TryAddSingleton<BrokerageSessionManager>();
        services.TryAddSingleton<IBrokerageSessionMonitor>(sp => sp.GetRequiredService<BrokerageSessionManager>());
        services.TryAddSingleton<IbkrCallExecutor>();
        services.TryAddSingleton<IBrokerageGateway, BrokerageGateway>();
        // The users' IBKR websockets (Brokerage:Stream:Enabled, default on; off: every user PollingOnly). A host that
        // registered its own IOrderStreams (or NoOrderStreams) before this call keeps it; tests plug an in-process
        // server's client as IWebSocketConnector.
        services.TryAddSingleton<IOrderStreamObserver, NoOrderStreamObserver>();
        services.TryAddSingleton<IWebSocketConnector, ClientWebSocketConnector>();
        services.TryAddSingleton<OrderStreamContext>();
        services.TryAddSingleton<OrderStreamSupervisor>();
        services.TryAddSingleton<IOrderStreams>(sp => sp.GetRequiredService<OrderStreamSupervisor>());
        services.AddHostedService(sp => sp.GetRequiredService<OrderStreamSupervisor>());
        services.AddHostedService<TickleService>();
        services.AddHostedService<UserStatePruner>();

        services.TryAddTransient<UserCircuitBreakerHandler>();
        services.TryAddTransient<BearerTokenHandler>();
        services.TryAddTransient<PacingHandler>();
        services.TryAddTransient<SessionOwnershipHandler>();
        services.TryAddTransient<FreshTokenHandler>();
        services.TryAddTransient<AvailabilityHandler>();
        services.TryAddTransient<AttemptTimeoutHandler>();
        services.TryAddTransient<SendMarkerHandler>();
        services.TryAddSingleton<RedactingHttpClientLogger>();

        var piTrade = services.AddHttpClient<IPiTradeBearerTokenClient, PiTradeBearerTokenClient>(PiTradeBearerTokenClient.HttpClientName, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<BrokerageOptions>>().Value;
                client.BaseAddress = WithTrailingSlash(options.PiTrade.BaseUrl!);
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RedactLoggedHeaders(["Authorization"])
            .RemoveAllLoggers()
            .AddLogger<RedactingHttpClientLogger>();
        piTrade.AddResilienceHandler("pitrade", ConfigurePiTradePipeline);

        // Outermost first: resilience (retry where safe, within the user's retry budget) → the user's circuit for the
        // endpoint group → bearer token (fetched if missing) → user gate and pacing → session ownership → the current
        // token put on (after the waits, so that it cannot expire in flight) → IBKR still available for an order change
        // (a wait can reach into a maintenance window) → attempt timeout → send marker → network.
        var ibkr = services.AddHttpClient(IbkrHttpClientName, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<BrokerageOptions>>().Value;
                client.BaseAddress = options.Ibkr.BaseUrl;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RedactLoggedHeaders(["Authorization"])
            .RemoveAllLoggers()
            .AddLogger<RedactingHttpClientLogger>();
        ibkr.AddResilienceHandler("ibkr", ConfigureIbkrPipeline);
        ibkr.AddHttpMessageHandler<UserCircuitBreakerHandler>()
            .AddHttpMessageHandler<BearerTokenHandler>()
            .AddHttpMessageHandler<PacingHandler>()
            .AddHttpMessageHandler<SessionOwnershipHandler>()
            .AddHttpMessageHandler<FreshTokenHandler>()
            .AddHttpMessageHandler<AvailabilityHandler>()
            .AddHttpMessageHandler<AttemptTimeoutHandler>()
            .AddHttpMessageHandler<SendMarkerHandler>();

        var refit = new RefitSettings(new SystemTextJsonContentSerializer(IbkrJson.Options));
        services.TryAddSingleton(sp => RestService.For<ISessionApi>(IbkrClient(sp), refit));
        services.TryAddSingleton(sp => RestService.For<IAccountsApi>(IbkrClient(sp), refit));
        services.TryAddSingleton(sp => RestService.For<IOrdersApi>(IbkrClient(sp), refit));
        services.TryAddSingleton(sp => RestService.For<IQuestionsApi>(IbkrClient(sp), refit));
        return services;
    }

    private static HttpClient IbkrClient(IServiceProvider services) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(IbkrHttpClientName);

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    private static void ConfigureIbkrPipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<BrokerageOptions>>().Value;
        var domains = context.ServiceProvider.GetRequiredService<UserFailureDomains>();
        var availability = context.ServiceProvider.GetRequiredService<IIbkrAvailability>();

        // No timeout strategy here: the attempt timeout is AttemptTimeoutHandler, inside the pacing wait. No circuit
        // breaker either: one shared circuit would let one user's failures stop every user (UserCircuitBreakerHandler).
        pipeline
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.Resilience.MaxRetryAttempts, 1),
                Delay = options.Resilience.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(
                    options.Resilience.MaxRetryAttempts > 0 && IsSafeToRetry(args.Context, args.Outcome) && WithinRetryBudget(domains, args.Context)
                    && AvailableFor(availability, args.Context)),
            });
    }

    /// <summary>
    /// No retry for a user IBKR is unavailable for (a scheduled window that began while the call was under way, or an
    /// outage already detected): the answer would be the same, and the window's end or the probe releases the user.
    /// </summary>
    private static bool AvailableFor(IIbkrAvailability availability, ResilienceContext context) =>
        context.GetRequestMessage() is not { } request || availability.Check(RequestUser.Of(request)).Available;

    private static void ConfigurePiTradePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<BrokerageOptions>>().Value;

        // Asking PiTrade for a token has no side effect at IBKR: always safe to repeat.
        pipeline
            .AddTimeout(options.Timeouts.Total)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.Resilience.MaxRetryAttempts, 1),
                Delay = options.Resilience.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(options.Resilience.MaxRetryAttempts > 0 && IsTransient(args.Context, args.Outcome)),
            })
            .AddCircuitBreaker(PartnerBreakerOptions(options))
            .AddTimeout(options.Timeouts.Attempt);
    }

    /// <summary>
    /// PiTrade's circuit is partner-wide (its outage is everyone's), so only what says PiTrade itself is down opens it:
    /// transport failures, timeouts and 5xx. A 4xx is about one user's request (not entitled, bad input) and never
    /// counts; 408 and 429 are one request's fate, not an outage.
    /// </summary>
    private static HttpCircuitBreakerStrategyOptions PartnerBreakerOptions(BrokerageOptions options) => new()
    {
        FailureRatio = options.Resilience.BreakerFailureRatio,
        MinimumThroughput = options.Resilience.BreakerMinimumThroughput,
        SamplingDuration = options.Resilience.BreakerSamplingDuration,
        BreakDuration = options.Resilience.BreakerBreakDuration,
        ShouldHandle = args => ValueTask.FromResult(IsPartnerOutage(args.Context, args.Outcome)),
    };

    private static bool IsPartnerOutage(ResilienceContext context, Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException or TimeoutException
        || (outcome.Exception is OperationCanceledException && !context.CancellationToken.IsCancellationRequested)
        || (int?)outcome.Result?.StatusCode is >= 500 and <= 599;

    /// <summary>Each retry spends one of the user's retry budget; a user whose calls keep failing cannot multiply its traffic.</summary>
    private static bool WithinRetryBudget(UserFailureDomains domains, ResilienceContext context) =>
        context.GetRequestMessage() is not { } request || domains.TrySpendRetry(RequestUser.Of(request));

    /// <summary>
    /// Retries only what cannot duplicate anything at IBKR: any request that failed before it left the process,
    /// and repeatable endpoints (reads, tickle, init, suppress, what-if) after a transport failure, 502/503/504, 408 or 429.
    /// </summary>
    private static bool IsSafeToRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is BrokerageException)
        {
            // Token or pacing failures have their own handling; do not multiply them.
            return false;
        }

        if (outcome.Exception is { } exception && FailureClassifier.FailedBeforeSending(exception) && exception is not Polly.CircuitBreaker.BrokenCircuitException)
        {
            return true;
        }

        var request = context.GetRequestMessage();
        var repeatable = request is not null && IbkrEndpointCatalog.Identify(request).Repeatable;
        return repeatable && IsTransient(context, outcome);
    }

    /// <summary>Transport failures (an aborted connection can surface as a cancellation nobody asked for) and busy answers.</summary>
    private static bool IsTransient(ResilienceContext context, Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException or TimeoutException
        || (outcome.Exception is OperationCanceledException && !context.CancellationToken.IsCancellationRequested)
        || outcome.Result?.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>Makes a second AddBrokerageGuard call a no-op instead of stacking a second set of handlers.</summary>
    private sealed class BrokerageGuardMarker;
}
