using Serilog;
using Serilog.AspNetCore;

namespace SagaEngine.Host;

public static class LoggingExtensions
{
    /// <summary>Structured Serilog logging configured from the <c>Serilog</c> section.</summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        // The host's own logger, not the process-wide static one: hosts sharing a process (tests) would
        // otherwise all write through whichever was built last.
        builder.Services.AddSerilog((services, log) => log
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext(), preserveStaticLogger: true);
        builder.Services.AddOptions<RequestLoggingOptions>().Configure<Serilog.ILogger>((o, logger) => o.Logger = logger);
        return builder;
    }
}
