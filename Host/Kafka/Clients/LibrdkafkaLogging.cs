using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Clients;

/// <summary>
/// Sends librdkafka's own log lines and errors to the host's logs instead of stderr. librdkafka
/// recovers from most errors by itself (a broker restarting, a connection refused), so those are
/// warnings; only fatal ones are errors.
/// </summary>
static class LibrdkafkaLogging
{
    public const string Category = "SagaEngine.Host.Kafka.Librdkafka";

    public static void Log(ILogger logger, LogMessage message) =>
        logger.Log(LevelOf(message.Level), "{Client} {Facility}: {Message}", message.Name, message.Facility, message.Message);

    public static void Error(ILogger logger, string client, Error error)
    {
        if (error.IsFatal)
            logger.LogError("{Client} fatal error {Code}: {Reason}", client, error.Code, error.Reason);
        else
            logger.LogWarning("{Client} error {Code}: {Reason}", client, error.Code, error.Reason);
    }

    static LogLevel LevelOf(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Error,
        SyslogLevel.Error or SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice => LogLevel.Information,
        SyslogLevel.Info => LogLevel.Debug,
        _ => LogLevel.Trace
    };
}
