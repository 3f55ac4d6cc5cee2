using MassTransit.Logging;
using MassTransit.Monitoring;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrderProcessor.Brokerage.Diagnostics;

namespace OrderProcessor.Telemetry;

/// <summary>
/// OpenTelemetry for the processor: metrics on a Prometheus endpoint (<c>/metrics</c>) and traces from the command
/// through the IBKR call to the event (MassTransit, HttpClient, Npgsql, ASP.NET Core, and the processor's own spans).
/// Metrics are also exported over OTLP, and traces only, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. The service
/// name and version come from the standard variables (<see cref="ServiceIdentity"/>); every duration histogram, the
/// libraries' included, has the boundaries of <see cref="DurationBuckets"/>.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public const string TracingSetting = "Telemetry:Tracing";

    public static IServiceCollection AddOrderProcessorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DatabaseGauges>();
        services.AddSingleton<OrderProcessorMetrics>();
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var identity = ServiceIdentity.From(configuration);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(identity.Name, serviceVersion: identity.Version))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OrderProcessorMetrics.MeterName, BrokerageMetrics.MeterName, InstrumentationOptions.MeterName, "System.Runtime")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddView(DurationHistogramView.For)
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        // Spans are only recorded when something collects them: with no exporter every database command, IBKR call and
        // message would still build a span and throw it away. Telemetry:Tracing records them anyway, for a collector
        // in the process itself.
        if (otlp || configuration.GetValue<bool>(TracingSetting))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(OrderProcessorTelemetry.SourceName, DiagnosticHeaders.DefaultListenerName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        }

        return services;
    }
}
