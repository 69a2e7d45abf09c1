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
    /// Traces are only listened to then: with no one listening, neither MassTransit nor the outbox relay
    /// nor the Kafka endpoints create a span, so a host that exports nothing pays nothing per message.
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry();
        telemetry.WithMetrics(m =>
        {
            m.AddMeter(MeterPrefix, InstrumentationOptions.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter();
            if (otlp)
                m.AddOtlpExporter();
        });
        if (otlp)
            telemetry.WithTracing(t => t
                // SagaEngine.Outbox (the relay's delivery), SagaEngine.Kafka (produce and consume), MassTransit's
                // send, receive and consume activities, and the HTTP requests that start an order's trace.
                .AddSource(MeterPrefix, DiagnosticHeaders.DefaultListenerName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        // Open whatever Security says: scrapers send no key, and the figures hold no order's data.
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }
}
