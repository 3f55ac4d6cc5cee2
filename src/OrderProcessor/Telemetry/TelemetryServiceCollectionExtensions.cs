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
/// Both are also exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddOrderProcessorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DatabaseGauges>();
        services.AddSingleton<OrderProcessorMetrics>();
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("OrderProcessor"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OrderProcessorMetrics.MeterName, BrokerageMetrics.MeterName, InstrumentationOptions.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
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
        return services;
    }
}
