using System.Runtime.InteropServices;
using SagaEngine.Host.Kafka.Configuration;

namespace SagaEngine.Host.Kafka.EmbeddedBroker;

/// <summary>
/// <c>kafka-broker [--brokers N] [--topics a,b] [--partitions P]</c>: runs only the embedded broker, so
/// that several host processes on this machine can share it. Prints its bootstrap address as the one
/// line of its output, creates the topics (by default those of the <c>Kafka</c> configuration, since
/// hosts cannot create topics on it remotely) and runs until SIGTERM or Ctrl+C.
/// </summary>
public static class KafkaBrokerCommand
{
    public const string Name = "kafka-broker";

    const string Usage = "usage: kafka-broker [--brokers N] [--topics a,b] [--partitions P]";

    public static async Task<int> Run(string[] args)
    {
        var options = ReadConfiguration();
        var brokers = options.EmbeddedBrokers;
        var partitions = options.Partitions;
        IReadOnlyList<string> topics = options.AllTopics();

        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--brokers" when int.TryParse(value, out var n) && n is >= 1 and <= KafkaOptionsValidator.MaxEmbeddedBrokers:
                    brokers = n;
                    break;
                case "--partitions" when int.TryParse(value, out var n) && n >= 1:
                    partitions = n;
                    break;
                case "--topics" when value is not null && value.Split(',') is var names && names.All(KafkaOptionsValidator.IsValidTopicName):
                    topics = names;
                    break;
                default:
                    return Fail($"'{args[i]} {value}' is not understood: --brokers takes 1 to {KafkaOptionsValidator.MaxEmbeddedBrokers}, " +
                                "--partitions at least 1, --topics names of letters, digits, '.', '_' and '-' separated by commas.");
            }
        }

        using var broker = EmbeddedKafkaBroker.Start(brokers);
        foreach (var topic in topics)
            broker.CreateTopic(topic, partitions, Math.Min((int)(options.ReplicationFactor ?? 1), brokers));

        // This line is the command's output: the address other processes connect to.
        Console.Out.WriteLine(broker.BootstrapServers);
        Console.Out.Flush();

        await UntilStopSignal();
        return 0;
    }

    /// <summary>The same settings a host would read: appsettings.json of the working directory and environment variables.</summary>
    static KafkaOptions ReadConfiguration()
    {
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true);
        configuration.AddEnvironmentVariables();
        return configuration.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
    }

    static async Task UntilStopSignal()
    {
        var stop = new TaskCompletionSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await stop.Task;
    }

    static int Fail(string message)
    {
        // A command-line error goes where a command-line user looks for it.
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
