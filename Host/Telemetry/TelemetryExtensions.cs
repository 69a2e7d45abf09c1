using MassTransit.Logging;
using MassTransit.Monitoring;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace SagaEngine.Host.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Every meter of the engine, as Prometheus text at /metrics.</summary>
    public const string MeterPrefix = "SagaEngine.*";

    /// <summary>
    /// Metrics are always collected and served at <c>/metrics</c>. Traces and metrics are exported over
    /// OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: nothing leaves the process by default.
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .WithMetrics(m =>
            {
                m.AddMeter(MeterPrefix, InstrumentationOptions.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                    m.AddOtlpExporter();
            })
            .WithTracing(t =>
            {
                t.AddSource(MeterPrefix, DiagnosticHeaders.DefaultListenerName)
                    .AddAspNetCoreInstrumentation();
                if (otlp)
                    t.AddOtlpExporter();
            });
        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
