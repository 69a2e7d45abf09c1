using Serilog;

namespace SagaEngine.Host;

public static class LoggingExtensions
{
    /// <summary>Structured Serilog logging configured from the <c>Serilog</c> section.</summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, log) => log
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext());
        return builder;
    }
}
