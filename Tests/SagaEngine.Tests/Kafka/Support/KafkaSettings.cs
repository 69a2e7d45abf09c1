namespace SagaEngine.Tests.Kafka.Support;

/// <summary>Kafka:… settings for a test host pointed at a test broker.</summary>
public static class KafkaSettings
{
    public static Dictionary<string, string?> For(string bootstrapServers, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            // What a host pointed at a separate embedded broker sets, since it cannot tell it is one.
            ["Kafka:GroupProtocol"] = "Consumer"
        };
        foreach (var (key, value) in extra)
            settings[$"Kafka:{key}"] = value;
        return settings;
    }

    /// <summary>Adds an endpoint's topology: the topic it reads and its group.</summary>
    public static Dictionary<string, string?> WithEndpoint(this Dictionary<string, string?> settings, string endpoint, string topic, string group)
    {
        settings[$"Kafka:Endpoints:{endpoint}:Topics:0"] = topic;
        settings[$"Kafka:Endpoints:{endpoint}:Group"] = group;
        return settings;
    }

    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, string key, string? value)
    {
        settings[key] = value;
        return settings;
    }
}
