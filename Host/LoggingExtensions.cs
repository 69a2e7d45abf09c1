using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;

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
        builder.Services.AddOptions<RequestLoggingOptions>().Configure<Serilog.ILogger>((o, logger) =>
        {
            o.Logger = logger;
            o.GetLevel = RequestLevel;
        });
        return builder;
    }

    /// <summary>
    /// A read that succeeded is logged at Debug: every order is followed by at least one (a long poll), and at
    /// Information they were half the host's log lines and 2% of its CPU under load. Writes, refusals and
    /// failures stay at Information, and errors at Error. Lowering the middleware's logger to Debug
    /// (<c>Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware</c>) shows the reads again.
    /// </summary>
    internal static LogEventLevel RequestLevel(HttpContext context, double elapsedMilliseconds, Exception? exception) =>
        exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
        : (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
          && context.Response.StatusCode < StatusCodes.Status400BadRequest ? LogEventLevel.Debug
        : LogEventLevel.Information;
}
